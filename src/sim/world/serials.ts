/**
 * Serial numbers of product units. Each product numbers its units sequentially in one of three
 * formats, so neighbouring units are deliberate look-alikes (hard negatives):
 * - `numeric`: `SN-1000231`, `SN-1000232`
 * - `hex`:     `SN-00A7-4411`, `SN-00A7-4412`
 * - `model`:   `PMP200X-24-000017` (model, year, sequence)
 * Also the serial-number noise (labels, separators, case, leading zeros, OCR confusions, SAP's
 * 18-character field) and the ERP serial record.
 */
import { appearanceChance, envelope, refTo, type Appearance } from './appearance';
import { civilFromDays, isoDate } from './dates';
import { trueIdFor } from './ids';
import { jitterDate, ocrConfuse, varyPartNumber } from './noise';
import type { WorldPlan } from './plan';
import { manufacturerVariant, PLANTS, type ProductTruth } from './products';
import type { Rng } from './random';
import { STREAM } from './streams';
import type { WorldRecord } from './types';

/** True values of a serialized unit. */
export interface SerialTruth {
  index: number;
  trueId: string;
  product: ProductTruth;
  /** Position of the unit in its product's sequence (0-based). */
  ordinal: number;
  serialNumber: string;
  manufactureDay: number;
  plant: string;
  batch: string;
}

/**
 * The serial number of unit `ordinal` of `product`; `index` is the unit's world-wide serial
 * index (contiguous per product, so `numeric` serials of one product are consecutive).
 *
 * @example
 * ```ts
 * serialNumberFor(pump, 230, 230, day) // 'SN-1000230' | 'SN-00A0-1230' | 'PMP100-24-000231'
 * ```
 */
export function serialNumberFor(product: ProductTruth, ordinal: number, index: number, manufactureDay: number): string {
  switch (product.serialFormat) {
    case 'numeric':
      return `SN-${1_000_000 + index}`;
    case 'hex': {
      const group = (product.serialCode + Math.floor(ordinal / 9000)).toString(16).toUpperCase().padStart(4, '0');
      return `SN-${group}-${1000 + (ordinal % 9000)}`;
    }
    case 'model': {
      const yy = String(civilFromDays(manufactureDay)[0] % 100).padStart(2, '0');
      return `${product.code}${product.model}${product.suffix}-${yy}-${String(ordinal + 1).padStart(6, '0')}`;
    }
  }
}

/**
 * The true values of serial #`index`.
 *
 * @example
 * ```ts
 * buildSerial(plan, 0, rng).serialNumber // e.g. 'SN-1000000'
 * ```
 */
export function buildSerial(plan: WorldPlan, index: number, rng: Rng): SerialTruth {
  const p = plan.serialProduct[index];
  const product = plan.products[p];
  const start = plan.prodSerialStart[p];
  const count = plan.prodSerialStart[p + 1] - start;
  const ordinal = index - start;
  const lastDay = plan.refDay - 20;
  const spacing = Math.max(0, (lastDay - product.launchDay) / count);
  const manufactureDay = Math.min(lastDay, product.launchDay + Math.floor(ordinal * spacing));
  const r = rng.reseed(plan.seed, STREAM.serial, index);
  const [y, m] = civilFromDays(manufactureDay);
  return {
    index,
    trueId: trueIdFor('serial', index),
    product,
    ordinal,
    serialNumber: serialNumberFor(product, ordinal, index, manufactureDay),
    manufactureDay,
    plant: r.chance(0.9) ? product.plant : r.pick(PLANTS),
    batch: `CH${String(y % 100).padStart(2, '0')}${String(m).padStart(2, '0')}-${String(Math.floor(ordinal / 40) % 1000).padStart(3, '0')}`,
  };
}

/**
 * The serial number written another way: label dropped or changed (`S/N:`, `SN `, `#`, `Ser.No.`),
 * separators removed or changed, leading zeros added.
 *
 * @example
 * ```ts
 * serialVariant(rng, 'SN-00A7-4411') // e.g. 'S/N: 00a7-4411', 'SN 00A74411', '00A74411'
 * ```
 */
export function serialVariant(rng: Rng, sn: string): string {
  const core = sn.startsWith('SN-') ? sn.slice(3) : sn;
  switch (rng.int(9)) {
    case 0:
      return core;
    case 1:
      return `SN ${core.replace(/-/g, '')}`;
    case 2:
      return `S/N: ${core.toLowerCase()}`;
    case 3:
      return `SN${core.replace(/-/g, '')}`;
    case 4:
      return core.replace(/-/g, '');
    case 5:
      return `#${core}`;
    case 6:
      return `Ser.No. ${core}`;
    case 7:
      return core.replace(/-/g, ' ');
    default:
      return /^\d+$/.test(core) ? `000${core}` : sn.replace(/-/g, '.');
  }
}

/**
 * The serial number as one source wrote it (variants, OCR confusions, case; ERP: numeric serials
 * sometimes zero-padded to 18 and everything cut at SAP's 18 characters).
 *
 * @example
 * ```ts
 * noisySerialNumber(app, 'SN-1000231') // e.g. '1000231', 'SN-100O231', '000000000001000231'
 * ```
 */
export function noisySerialNumber(app: Appearance, sn: string, weight = 1): string {
  const { rng } = app;
  let s = sn;
  if (appearanceChance(app, 0.3 * weight)) s = serialVariant(rng, s);
  if (appearanceChance(app, 0.12 * weight)) s = ocrConfuse(rng, s);
  if (appearanceChance(app, 0.05 * weight)) s = s.toLowerCase();
  if (app.source === 'erp') {
    if (/^\d+$/.test(s) && rng.chance(0.3)) s = s.padStart(18, '0');
    if (s.length > 18) s = s.slice(0, 18);
  }
  return s;
}

/**
 * Serial #`t.index` as an ERP record (SAP equipment with serial number), with noise.
 *
 * @example
 * ```ts
 * renderSerial(buildSerial(plan, 0, rng), app).serialNumber // e.g. 'SN-1000000'
 * ```
 */
export function renderSerial(t: SerialTruth, app: Appearance): WorldRecord {
  const { rng } = app;
  const rec = envelope(app, 'serial', t.index);
  rec.serialNumber = noisySerialNumber(app, t.serialNumber);
  const productRef = refTo(app, 'product', t.product.index);
  if (productRef) rec.productRef = productRef;
  rec.partNumber = appearanceChance(app, 0.2) ? varyPartNumber(rng, t.product.partNumber) : t.product.partNumber;
  if (!appearanceChance(app, 0.1)) rec.manufacturer = appearanceChance(app, 0.2) ? manufacturerVariant(rng, t.product.manufacturer) : t.product.manufacturer;
  if (!appearanceChance(app, 0.05)) {
    const date = isoDate(t.manufactureDay);
    rec.manufactureDate = appearanceChance(app, 0.05) ? jitterDate(rng, date) : date;
  }
  rec.plant = t.plant;
  if (!appearanceChance(app, 0.2)) rec.batch = t.batch;
  return rec as WorldRecord;
}
