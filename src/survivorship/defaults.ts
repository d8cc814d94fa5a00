import type { EntityType } from '../core/entities';
import { type SurvivorshipConfig, type SurvivorshipConfigInput, type SurvivorshipRule, survivorshipConfigSchema } from './config';
import type { TrustProfile } from './strategies/trust-decay';

const erpFirst: SurvivorshipRule = { strategy: 'sourcePriority', sources: ['erp', 'crm', 'fsm'] };
const crmFirst: SurvivorshipRule = { strategy: 'sourcePriority', sources: ['crm', 'erp', 'fsm'] };
const fsmFirst: SurvivorshipRule = { strategy: 'sourcePriority', sources: ['fsm', 'erp', 'crm'] };
const recent: SurvivorshipRule = { strategy: 'mostRecent' };
const complete: SurvivorshipRule = { strategy: 'mostComplete' };

/**
 * Shipped trust profiles: ERP master data is curated and goes stale slowly; CRM contact data is
 * kept current by sales but is doubtful after a couple of years; a field reading is exact on the
 * day but the next visit supersedes it.
 */
export const DEFAULT_TRUST: Readonly<Record<'erp' | 'crm' | 'fsm', TrustProfile>> = {
  erp: { maxTrust: 90, minTrust: 60, decayPeriod: { value: 5, unit: 'years' }, curve: 'linear' },
  crm: { maxTrust: 80, minTrust: 40, decayPeriod: { value: 2, unit: 'years' }, curve: 'SIRL' },
  fsm: { maxTrust: 70, minTrust: 30, decayPeriod: { value: 1, unit: 'years' }, curve: 'RISL' },
};

/** Attributes with no configured owner: the freshest trusted value. */
const fallback: SurvivorshipRule[] = [{ strategy: 'trustDecay' }, recent];

const identifier = (first: SurvivorshipRule) => ({ strategies: [first, recent], normalize: 'compact' as const });

const inputs: Record<EntityType, SurvivorshipConfigInput> = {
  customer: {
    entity: 'customer',
    trust: { ...DEFAULT_TRUST },
    defaultStrategies: fallback,
    attributes: {
      kind: { strategies: [erpFirst, recent] },
      name: { strategies: [crmFirst, complete, recent] },
      givenName: { strategies: [crmFirst, complete, recent] },
      familyName: { strategies: [crmFirst, complete, recent] },
      taxId: identifier(erpFirst),
      duns: identifier(erpFirst),
      nationalId: identifier(crmFirst),
      dateOfBirth: { strategies: [crmFirst, recent] },
      phone: { strategies: [{ strategy: 'aggregate' }, crmFirst, recent], normalize: 'compact' },
      email: { strategies: [crmFirst, recent] },
      website: { strategies: [crmFirst, recent] },
    },
    groups: {
      address: {
        attributes: ['street', 'houseNumber', 'addressLine2', 'postalCode', 'city', 'region', 'country'],
        strategies: [erpFirst, complete, recent],
      },
    },
  },
  product: {
    entity: 'product',
    trust: { ...DEFAULT_TRUST },
    defaultStrategies: fallback,
    attributes: {
      partNumber: identifier(erpFirst),
      manufacturerPartNumber: identifier(erpFirst),
      manufacturer: { strategies: [erpFirst, recent] },
      gtin: identifier(erpFirst),
      name: { strategies: [erpFirst, complete, recent] },
      description: { strategies: [erpFirst, complete, recent] },
      family: { strategies: [erpFirst, recent] },
      uom: { strategies: [erpFirst, recent] },
      status: { strategies: [erpFirst, recent] },
    },
    groups: {
      pricing: { attributes: ['price', 'currency'], strategies: [erpFirst, recent] },
    },
  },
  serial: {
    entity: 'serial',
    trust: { ...DEFAULT_TRUST },
    defaultStrategies: fallback,
    attributes: {
      serialNumber: identifier(erpFirst),
      partNumber: identifier(erpFirst),
      manufacturer: { strategies: [erpFirst, recent] },
      manufactureDate: { strategies: [erpFirst, recent] },
      plant: { strategies: [erpFirst, recent] },
      batch: identifier(erpFirst),
    },
  },
  asset: {
    entity: 'asset',
    trust: { ...DEFAULT_TRUST },
    defaultStrategies: fallback,
    attributes: {
      serialNumber: identifier(erpFirst),
      partNumber: identifier(erpFirst),
      name: { strategies: [fsmFirst, complete, recent] },
      installDate: { strategies: [fsmFirst, recent] },
      status: { strategies: [fsmFirst, recent] },
    },
  },
  contract: {
    entity: 'contract',
    trust: { ...DEFAULT_TRUST },
    defaultStrategies: fallback,
    attributes: {
      contractNumber: identifier(erpFirst),
      serviceLevel: { strategies: [erpFirst, recent] },
      status: { strategies: [erpFirst, recent] },
    },
    groups: {
      term: { attributes: ['startDate', 'endDate'], strategies: [erpFirst, recent] },
    },
  },
  location: {
    entity: 'location',
    trust: { ...DEFAULT_TRUST },
    defaultStrategies: fallback,
    attributes: {
      name: { strategies: [fsmFirst, complete, recent] },
      gln: identifier(erpFirst),
    },
    groups: {
      address: {
        attributes: ['street', 'houseNumber', 'postalCode', 'city', 'region', 'country'],
        strategies: [fsmFirst, complete, recent],
      },
      coordinates: { attributes: ['latitude', 'longitude'], strategies: [fsmFirst, recent] },
    },
  },
};

/**
 * The shipped survivorship configuration of every entity type, validated at load:
 * ERP wins product, price and commercial data; CRM wins contact data (names, email, phones,
 * website); FSM wins installation and site data (install date, asset status, site address,
 * coordinates). Addresses, price + currency, contract terms and coordinates are groups.
 *
 * @example
 * ```ts
 * DEFAULT_SURVIVORSHIP_CONFIGS.product.groups.pricing.attributes; // ['price', 'currency']
 * ```
 */
export const DEFAULT_SURVIVORSHIP_CONFIGS: Readonly<Record<EntityType, SurvivorshipConfig>> = Object.freeze({
  customer: survivorshipConfigSchema.parse(inputs.customer),
  product: survivorshipConfigSchema.parse(inputs.product),
  serial: survivorshipConfigSchema.parse(inputs.serial),
  asset: survivorshipConfigSchema.parse(inputs.asset),
  contract: survivorshipConfigSchema.parse(inputs.contract),
  location: survivorshipConfigSchema.parse(inputs.location),
});

/**
 * The shipped configuration of one entity type, as a fresh copy that may be edited.
 *
 * @example
 * ```ts
 * const config = defaultSurvivorshipConfig('customer');
 * config.attributes.email = { strategies: [{ strategy: 'mostRecent' }] };
 * ```
 */
export function defaultSurvivorshipConfig(entity: EntityType): SurvivorshipConfig {
  return structuredClone(DEFAULT_SURVIVORSHIP_CONFIGS[entity]);
}
