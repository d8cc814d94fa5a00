/**
 * Service contracts and warranty extensions: contract number, customer, covered assets, dates,
 * service level and status; and how a contract appears in ERP (service contract), CRM
 * (ServiceContract) and FSM (ast_contract), each with its own vocabulary.
 */
import { appearanceChance, envelope, refTo, type Appearance } from './appearance';
import { civilFromDays, isoDate } from './dates';
import { CUSTOMER_FLAG } from './customers';
import { trueIdFor } from './ids';
import { jitterDate } from './noise';
import type { WorldPlan } from './plan';
import type { Rng } from './random';
import { STREAM } from './streams';
import type { SourceName, WorldRecord } from './types';

/** True service level of a contract. */
export type ServiceLevel = 'gold' | 'silver' | 'bronze' | 'warranty';
/** True status of a contract, derived from its dates (or cancelled). */
export type ContractStatus = 'active' | 'expired' | 'draft' | 'cancelled';

/** True values of a service contract. */
export interface ContractTruth {
  index: number;
  trueId: string;
  contractNumber: string;
  customer: number;
  /** Covered assets: indices `assetStart .. assetStart + assetCount - 1`. */
  assetStart: number;
  assetCount: number;
  startDate: string;
  endDate: string;
  serviceLevel: ServiceLevel;
  status: ContractStatus;
}

/** Service-level words per source. */
export const SERVICE_LEVEL_VOCABULARY: Readonly<Record<SourceName, Readonly<Record<ServiceLevel, string>>>> = {
  erp: { gold: 'GOLD', silver: 'SILV', bronze: 'BRNZ', warranty: 'WEXT' },
  crm: { gold: 'Gold 24/7', silver: 'Silver NBD', bronze: 'Bronze 5x8', warranty: 'Extended Warranty' },
  fsm: { gold: 'Gold', silver: 'Silver', bronze: 'Bronze', warranty: 'Warranty' },
};

/** Contract status words per source. */
export const CONTRACT_STATUS_VOCABULARY: Readonly<Record<SourceName, Readonly<Record<ContractStatus, string>>>> = {
  erp: { active: 'Released', expired: 'Completed', draft: 'In Process', cancelled: 'Cancelled' },
  crm: { active: 'Active', expired: 'Expired', draft: 'Inactive', cancelled: 'Inactive' },
  fsm: { active: 'active', expired: 'expired', draft: 'draft', cancelled: 'cancelled' },
};

/**
 * The true values of contract #`index`.
 *
 * @example
 * ```ts
 * buildContract(plan, 0, rng).contractNumber // e.g. 'SC-24-000001'
 * ```
 */
export function buildContract(plan: WorldPlan, index: number, rng: Rng): ContractTruth {
  const r = rng.reseed(plan.seed, STREAM.contract, index);
  const customer = plan.contractCustomer[index];
  const startDay = plan.refDay - r.range(-60, 5 * 365);
  const years = r.pick([1, 1, 2, 3, 3, 5]);
  const endDay = startDay + years * 365 - 1;
  const x = r.float();
  const status: ContractStatus = x < 0.04 ? 'cancelled' : startDay > plan.refDay ? 'draft' : endDay < plan.refDay ? 'expired' : 'active';
  const person = (plan.custFlags[customer] & CUSTOMER_FLAG.person) !== 0;
  const y = r.float();
  const serviceLevel: ServiceLevel = person ? 'warranty' : y < 0.25 ? 'gold' : y < 0.7 ? 'silver' : 'bronze';
  const yy = String(civilFromDays(startDay)[0] % 100).padStart(2, '0');
  return {
    index,
    trueId: trueIdFor('contract', index),
    contractNumber: `SC-${yy}-${String(index + 1).padStart(6, '0')}`,
    customer,
    assetStart: plan.contractAssetStart[index],
    assetCount: plan.contractAssetCount[index],
    startDate: isoDate(startDay),
    endDate: isoDate(endDay),
    serviceLevel,
    status,
  };
}

/**
 * The contract number written another way (`SC24000123`, `sc-24-000123`, `24-000123`, `SC-24-123`).
 *
 * @example
 * ```ts
 * contractNumberVariant(rng, 'SC-24-000123') // e.g. 'SC24000123'
 * ```
 */
export function contractNumberVariant(rng: Rng, n: string): string {
  switch (rng.int(4)) {
    case 0:
      return n.replace(/-/g, '');
    case 1:
      return n.toLowerCase();
    case 2:
      return n.replace(/^SC-/, '');
    default:
      return n.replace(/-0+(\d)/, '-$1');
  }
}

/**
 * Contract #`t.index` as one source record, with noise. `assetRefs` lists the covered assets that
 * the source holds (sometimes missing one).
 *
 * @example
 * ```ts
 * renderContract(contract, app).assetRefs // ['50000017', '50000018']
 * ```
 */
export function renderContract(t: ContractTruth, app: Appearance): WorldRecord {
  const { rng, source } = app;
  const rec = envelope(app, 'contract', t.index);
  rec.contractNumber = appearanceChance(app, 0.25) ? contractNumberVariant(rng, t.contractNumber) : t.contractNumber;
  const customerRef = refTo(app, 'customer', t.customer);
  if (customerRef) rec.customerRef = customerRef;
  const refs: string[] = [];
  for (let a = t.assetStart; a < t.assetStart + t.assetCount; a++) {
    const ref = refTo(app, 'asset', a);
    if (ref) refs.push(ref);
  }
  if (refs.length > 1 && appearanceChance(app, 0.1)) refs.splice(rng.int(refs.length), 1);
  if (refs.length) rec.assetRefs = refs;
  rec.startDate = appearanceChance(app, 0.05) ? jitterDate(rng, t.startDate) : t.startDate;
  if (!appearanceChance(app, 0.05)) rec.endDate = appearanceChance(app, 0.05) ? jitterDate(rng, t.endDate) : t.endDate;
  rec.serviceLevel = SERVICE_LEVEL_VOCABULARY[source][t.serviceLevel];
  rec.status = CONTRACT_STATUS_VOCABULARY[source][t.status];
  return rec as WorldRecord;
}
