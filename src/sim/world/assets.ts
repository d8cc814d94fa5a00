/**
 * Installed assets: a serialized unit at a customer (owner), optionally at one of the
 * customer's locations, with install date and status; and how an asset appears in ERP
 * (customer equipment), CRM (Asset) and FSM (alm_asset / install base item). Each source has its
 * own status vocabulary.
 */
import { appearanceChance, envelope, refTo, type Appearance } from './appearance';
import { isoDate } from './dates';
import { trueIdFor } from './ids';
import { jitterDate, typo, varyPartNumber } from './noise';
import type { WorldPlan } from './plan';
import type { Rng } from './random';
import { buildSerial, noisySerialNumber, type SerialTruth } from './serials';
import { STREAM } from './streams';
import type { SourceName, WorldRecord } from './types';

/** True status of an installed asset (each source writes it in its own words). */
export type AssetStatus = 'installed' | 'in_repair' | 'decommissioned';

/** True values of an installed asset. */
export interface AssetTruth {
  index: number;
  trueId: string;
  serial: SerialTruth;
  /** Owning customer index. */
  customer: number;
  /** Location index, or -1. */
  location: number;
  name: string;
  installDate: string;
  status: AssetStatus;
}

const POSITIONS = ['Hall 1', 'Hall 2', 'Hall 3', 'Line 2', 'Line 4', 'Basement', 'Roof', 'Boiler Room', 'Building B', 'Pump Station'];

/** Status words per source. */
export const ASSET_STATUS_VOCABULARY: Readonly<Record<SourceName, Readonly<Record<AssetStatus, string>>>> = {
  erp: { installed: 'INST', in_repair: 'REPR', decommissioned: 'INAC' },
  crm: { installed: 'Installed', in_repair: 'Installed', decommissioned: 'Obsolete' },
  fsm: { installed: 'In use', in_repair: 'In maintenance', decommissioned: 'Retired' },
};

/**
 * The true values of asset #`index`, owned by `customer`.
 *
 * @example
 * ```ts
 * buildAsset(plan, 0, 0, rng).serial.serialNumber // e.g. 'SN-1000000'
 * ```
 */
export function buildAsset(plan: WorldPlan, index: number, customer: number, rng: Rng): AssetTruth {
  const serial = buildSerial(plan, plan.assetSerial[index], rng);
  const r = rng.reseed(plan.seed, STREAM.asset, index);
  const installDay = Math.min(plan.refDay - 1, serial.manufactureDay + r.range(14, 240));
  const ageYears = (plan.refDay - installDay) / 365;
  const x = r.float();
  const status: AssetStatus = x < 0.03 + 0.02 * ageYears ? 'decommissioned' : x > 0.96 ? 'in_repair' : 'installed';
  const product = serial.product;
  return {
    index,
    trueId: trueIdFor('asset', index),
    serial,
    customer,
    location: plan.assetLocation[index],
    name: `${product.label} ${product.partNumber}${r.chance(0.4) ? ` ${r.pick(POSITIONS)}` : ''}`,
    installDate: isoDate(installDay),
    status,
  };
}

/**
 * Asset #`t.index` as one source record, with noise (serial numbers typed by technicians in FSM are noisiest).
 *
 * @example
 * ```ts
 * renderAsset(asset, app).status // 'INST' (erp), 'Installed' (crm), 'In use' (fsm)
 * ```
 */
export function renderAsset(t: AssetTruth, app: Appearance): WorldRecord {
  const { rng, source } = app;
  const product = t.serial.product;
  const rec = envelope(app, 'asset', t.index, { deleteRate: t.status === 'decommissioned' ? 0.2 : 0.015 });
  if (!appearanceChance(app, 0.03)) rec.serialNumber = noisySerialNumber(app, t.serial.serialNumber, source === 'fsm' ? 1.4 : 1);
  const productRef = source === 'fsm' ? undefined : refTo(app, 'product', product.index);
  if (productRef) rec.productRef = productRef;
  if (source !== 'crm' || !productRef || rng.chance(0.5)) {
    rec.partNumber = appearanceChance(app, 0.25) ? varyPartNumber(rng, product.partNumber) : product.partNumber;
  }
  let name = t.name;
  if (appearanceChance(app, 0.08)) name = typo(rng, name);
  if (!appearanceChance(app, 0.1)) rec.name = source === 'erp' ? name.slice(0, 40) : name;
  const customerRef = refTo(app, 'customer', t.customer);
  if (customerRef) rec.customerRef = customerRef;
  if (source !== 'erp') {
    const locationRef = refTo(app, 'location', t.location);
    if (locationRef) rec.locationRef = locationRef;
  }
  if (!appearanceChance(app, 0.05)) rec.installDate = appearanceChance(app, 0.06) ? jitterDate(rng, t.installDate) : t.installDate;
  rec.status = ASSET_STATUS_VOCABULARY[source][t.status];
  return rec as WorldRecord;
}
