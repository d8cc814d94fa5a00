/**
 * Prepare step: pure functions turning canonical source attributes into the standardized and
 * derived fields the match models compare and block on.
 *
 * @example
 * ```ts
 * import { prepareRecord, NO_REFERENCES } from './prepare';
 * prepareRecord('customer', { id: 0, source: 'erp', sourceId: '1', attributes: { name: 'Acme GmbH' } }, NO_REFERENCES)
 * ```
 *
 * @module
 */
import type { EntityType } from '../../core/entities';
import { prepareAsset } from './asset';
import { prepareContract } from './contract';
import { prepareCustomer } from './customer';
import { prepareLocation } from './location';
import { prepareProduct } from './product';
import { prepareSerial } from './serial';
import type { PrepareContext, PrepareFunction, PrepareInput, PreparedRecord } from './types';

export * from './types';
export { attributeList, attributeNumber, attributeText, distinctSorted } from './attributes';
export { addressFields } from './address';
export { contactFields, isFreeMailDomain, webDomain } from './contact';
export { customerKind, type CustomerKind } from './customer-kind';
export { modelNumbers } from './model-numbers';
export { documentFrequencies, withRareTokens, type RareTokenField } from './token-rarity';
export { ownedUnitsByCustomer, unitKeys } from './units';
export { serialForms } from './serial-key';
export { prepareAsset, prepareContract, prepareCustomer, prepareLocation, prepareProduct, prepareSerial };
export { manufacturerKey } from './product';

/** The prepare function of each entity type. */
export const PREPARE: Readonly<Record<EntityType, PrepareFunction>> = {
  customer: prepareCustomer,
  product: prepareProduct,
  serial: prepareSerial,
  asset: prepareAsset,
  contract: prepareContract,
  location: prepareLocation,
};

/**
 * The entity types whose cluster keys a record's prepare function asks for (`context.ref`). A
 * customer asks for none: its products come from its assets' units (`ownedUnits`).
 */
export const PREPARE_REFERENCES: Readonly<Record<EntityType, readonly EntityType[]>> = {
  customer: [],
  product: [],
  serial: ['product'],
  asset: ['product', 'customer', 'location'],
  contract: ['customer', 'asset'],
  location: ['customer'],
};

/**
 * Prepare one record of the given entity type.
 *
 * @example
 * ```ts
 * prepareRecord('serial', { id: 3, source: 'erp', sourceId: 'S3', attributes: { serialNumber: 'SN-0O12' } }, NO_REFERENCES).fields.serialOcr
 * // '0012'
 * ```
 */
export function prepareRecord(entity: EntityType, input: PrepareInput, context: PrepareContext): PreparedRecord {
  return PREPARE[entity](input, context);
}
