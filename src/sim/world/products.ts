/**
 * The manufacturer's catalog: serialized machines (pumps, compressors, motors, ...), consumer
 * products, and spare parts from the manufacturer or its suppliers. Part numbers like `PMP-200`
 * with variants `PMP-200-X`, `PMP-200-XL` (different products: hard negatives), GTIN-13/14 with a
 * valid GS1 check digit, prices, units; plus how a product appears in ERP and CRM.
 */
import { appearanceChance, envelope, type Appearance } from './appearance';
import { withGs1Check } from './checkdigits';
import { trueIdFor } from './ids';
import { typo, varyCase, varyPartNumber } from './noise';
import { cumulate, Rng } from './random';
import type { WorldRecord } from './types';

/** How a product numbers its units (see `serials.ts`). */
export type SerialFormat = 'numeric' | 'hex' | 'model';

/** True values of a catalog product. */
export interface ProductTruth {
  index: number;
  trueId: string;
  partNumber: string;
  /** Product type word ("Centrifugal Pump"). */
  label: string;
  manufacturerPartNumber: string;
  manufacturer: string;
  gtin: string;
  name: string;
  description: string;
  family: string;
  uom: string;
  status: 'Active' | 'Phased Out' | 'Obsolete';
  price: number;
  currency: string;
  /** Machines and consumer products carry serial numbers; spare parts do not. */
  serialized: boolean;
  /** Bought by persons (consumers) rather than organizations. */
  consumer: boolean;
  /** Index of the base product when this is a variant (`PMP-200-X` of `PMP-200`), else -1. */
  variantOf: number;
  /** Family code and model ("PMP", "200") and the variant suffix ("X" or ""). */
  code: string;
  model: string;
  suffix: string;
  serialFormat: SerialFormat;
  /** Distinct per product; the first group of `hex` serial numbers. */
  serialCode: number;
  /** Day number of the product's launch (first serial). */
  launchDay: number;
  /** Production plant (SAP-style plant code). */
  plant: string;
}

type Kind = 'machine' | 'consumer' | 'spare';

interface FamilyDef {
  code: string;
  label: string;
  family: string;
  kind: Kind;
  uom: string;
  price: readonly [number, number];
  weight: number;
  modelStart: number;
  modelSteps: readonly number[];
  suffixes: readonly string[];
  spec: (model: number, rng: Rng) => string;
}

const MATERIALS = ['cast iron', 'stainless steel 1.4408', 'bronze', 'ductile iron', 'duplex steel'];

const FAMILIES: readonly FamilyDef[] = [
  { code: 'PMP', label: 'Centrifugal Pump', family: 'Pumps', kind: 'machine', uom: 'EA', price: [1800, 24000], weight: 16, modelStart: 100, modelSteps: [25, 50], suffixes: ['X', 'XL', 'HD', 'S', 'E'], spec: (m, r) => `${m} m³/h, ${r.pick(MATERIALS)}, IE3 motor ${Math.max(2, Math.round(m / 12))} kW` },
  { code: 'CMP', label: 'Screw Compressor', family: 'Compressors', kind: 'machine', uom: 'EA', price: [6000, 60000], weight: 8, modelStart: 10, modelSteps: [5, 10, 15], suffixes: ['X', 'VS', 'HD', 'E'], spec: (m, r) => `${m} kW, ${r.pick([7.5, 8, 10, 13])} bar, ${r.pick(['air-cooled', 'water-cooled'])}` },
  { code: 'MTR', label: 'Electric Motor IE3', family: 'Drives & Motors', kind: 'machine', uom: 'EA', price: [400, 9000], weight: 10, modelStart: 71, modelSteps: [9, 10, 20], suffixes: ['X', 'B3', 'B5', 'E'], spec: (m, r) => `frame ${m}, ${r.pick([2, 4, 6])}-pole, 400 V 50 Hz` },
  { code: 'GBX', label: 'Helical Gearbox', family: 'Drives & Motors', kind: 'machine', uom: 'EA', price: [700, 12000], weight: 6, modelStart: 30, modelSteps: [10, 20], suffixes: ['HD', 'S', 'L'], spec: (m, r) => `size ${m}, ratio ${r.pick(['1:5', '1:10', '1:20', '1:40'])}, foot mounted` },
  { code: 'VLV', label: 'Control Valve', family: 'Valves', kind: 'machine', uom: 'EA', price: [300, 6000], weight: 8, modelStart: 15, modelSteps: [5, 10, 25], suffixes: ['X', 'S', 'HT'], spec: (m, r) => `DN${m} PN${r.pick([16, 25, 40])}, ${r.pick(['pneumatic', 'electric'])} actuator` },
  { code: 'HXC', label: 'Plate Heat Exchanger', family: 'Heat Transfer', kind: 'machine', uom: 'EA', price: [2000, 30000], weight: 4, modelStart: 20, modelSteps: [10, 20], suffixes: ['S', 'HT', 'XL'], spec: (m) => `${m} plates, gasketed, ${Math.round(m * 1.6)} kW` },
  { code: 'INV', label: 'Frequency Inverter', family: 'Controls', kind: 'machine', uom: 'EA', price: [300, 5000], weight: 6, modelStart: 110, modelSteps: [10, 40, 100], suffixes: ['X', 'IP55', 'E'], spec: (m) => `${(m / 100).toFixed(1)} kW, 3~400 V, IP20` },
  { code: 'AGT', label: 'Agitator', family: 'Mixing', kind: 'machine', uom: 'EA', price: [3000, 25000], weight: 3, modelStart: 200, modelSteps: [50, 100], suffixes: ['X', 'HD', 'S'], spec: (m, r) => `shaft length ${m * 5} mm, ${r.pick(['propeller', 'turbine', 'anchor'])} impeller` },
  { code: 'DSP', label: 'Dosing Pump', family: 'Pumps', kind: 'machine', uom: 'EA', price: [500, 4000], weight: 5, modelStart: 10, modelSteps: [5, 10], suffixes: ['X', 'S', 'PVDF'], spec: (m) => `${m} l/h, diaphragm, 10 bar` },
  { code: 'HBP', label: 'Domestic Booster Pump', family: 'Home & Garden', kind: 'consumer', uom: 'EA', price: [150, 900], weight: 6, modelStart: 30, modelSteps: [5, 10], suffixes: ['E', 'S', 'XL'], spec: (m) => `${m} l/min, automatic pressure switch` },
  { code: 'GPU', label: 'Garden Pump', family: 'Home & Garden', kind: 'consumer', uom: 'EA', price: [80, 400], weight: 5, modelStart: 35, modelSteps: [5, 10], suffixes: ['X', 'S'], spec: (m) => `${m * 100} l/h, ${Math.round(m * 20)} W` },
  { code: 'HPX', label: 'Heat Pump', family: 'Heating', kind: 'consumer', uom: 'EA', price: [4000, 15000], weight: 3, modelStart: 6, modelSteps: [2, 3], suffixes: ['E', 'XL', 'S'], spec: (m) => `air/water, ${m} kW, R290` },
  { code: 'SEA', label: 'Mechanical Seal Kit', family: 'Spare Parts', kind: 'spare', uom: 'KIT', price: [40, 600], weight: 6, modelStart: 1000, modelSteps: [7, 13, 21], suffixes: ['V', 'HT', 'K'], spec: (m) => `for shaft ${20 + (m % 60)} mm, carbon/SiC` },
  { code: 'BRG', label: 'Ball Bearing', family: 'Spare Parts', kind: 'spare', uom: 'EA', price: [8, 250], weight: 6, modelStart: 6200, modelSteps: [1, 2, 100], suffixes: ['2RS', 'ZZ', 'C3'], spec: (m) => `deep groove, bore ${(m % 100) * 5 || 10} mm` },
  { code: 'IMP', label: 'Impeller', family: 'Spare Parts', kind: 'spare', uom: 'EA', price: [90, 1500], weight: 4, modelStart: 1100, modelSteps: [10, 25], suffixes: ['S', 'B'], spec: (m, r) => `Ø${150 + (m % 250)} mm, ${r.pick(MATERIALS)}` },
  { code: 'FLT', label: 'Filter Element', family: 'Spare Parts', kind: 'spare', uom: 'EA', price: [12, 180], weight: 4, modelStart: 3000, modelSteps: [5, 10, 30], suffixes: ['HT', 'F'], spec: (m) => `${[3, 5, 10, 25][m % 4]} µm, glass fibre` },
  { code: 'GSK', label: 'Gasket Set', family: 'Spare Parts', kind: 'spare', uom: 'SET', price: [10, 120], weight: 3, modelStart: 4000, modelSteps: [5, 11], suffixes: ['V', 'EPDM'], spec: (m) => `${4 + (m % 8)} pieces, NBR` },
  { code: 'CPL', label: 'Flexible Coupling', family: 'Spare Parts', kind: 'spare', uom: 'EA', price: [30, 700], weight: 3, modelStart: 5000, modelSteps: [10, 20], suffixes: ['S', 'HD'], spec: (m) => `size ${m % 200}, elastomer insert 92 Shore A` },
  { code: 'PCB', label: 'Control Board', family: 'Spare Parts', kind: 'spare', uom: 'EA', price: [150, 1800], weight: 2, modelStart: 7000, modelSteps: [3, 7], suffixes: ['2', 'E'], spec: (m) => `revision ${String.fromCharCode(65 + (m % 6))}, conformal coated` },
];

const FAMILY_CUMULATIVE = cumulate(FAMILIES.map((f) => f.weight));

const SUFFIX_MEANING: Record<string, string> = {
  X: 'ATEX explosion-proof', XL: 'extended capacity', HD: 'heavy duty', S: 'stainless steel', E: 'high efficiency',
  VS: 'variable speed', B3: 'foot mounted', B5: 'flange mounted', L: 'long shaft', HT: 'high temperature',
  IP55: 'IP55 enclosure', PVDF: 'PVDF head', V: 'Viton elastomers', K: 'complete kit', '2RS': 'sealed both sides',
  ZZ: 'metal shields', C3: 'C3 clearance', B: 'bronze', F: 'fine filtration', EPDM: 'EPDM material', '2': 'second generation',
};

interface Maker {
  name: string;
  aliases: readonly string[];
  gs1: readonly string[];
  mpn: (code: string, model: string, suffix: string) => string;
}

/** The manufacturer of the world (OEM). */
export const OEM: Maker = {
  name: 'Hydromec',
  aliases: ['HYDROMEC', 'Hydromec GmbH', 'Hydromec Industrietechnik GmbH', 'Hydromec Industrietechnik'],
  gs1: ['4260457', '4260458', '4260459'],
  mpn: (code, model, suffix) => `HM-${code}${model}${suffix}`,
};

const SUPPLIERS: readonly Maker[] = [
  { name: 'Ostmark Lager', aliases: ['Ostmark Lager GmbH', 'OSTMARK', 'Ostmark'], gs1: ['4031872'], mpn: (_c, m, s) => `${m}${s ? `-${s}` : ''}-OL` },
  { name: 'Valdrin Seals', aliases: ['Valdrin Seals Ltd', 'VALDRIN', 'Valdrin'], gs1: ['5012839'], mpn: (_c, m, s) => `VS-${m}${s ? `/${s}` : ''}` },
  { name: 'Tessaro Filtri', aliases: ['Tessaro Filtri S.r.l.', 'TESSARO', 'Tessaro'], gs1: ['8014562'], mpn: (_c, m, s) => `TF${m}${s}` },
  { name: 'Kestrel Couplings', aliases: ['Kestrel Couplings Inc.', 'KESTREL', 'Kestrel'], gs1: ['0812345'], mpn: (_c, m, s) => `KC-${m}-${s || 'STD'}` },
  { name: 'Brightmoor Electronics', aliases: ['Brightmoor Electronics Ltd', 'BRIGHTMOOR', 'Brightmoor'], gs1: ['5060123'], mpn: (_c, m, s) => `BME${m}${s}` },
];

const MAKERS: readonly Maker[] = [OEM, ...SUPPLIERS];
/** The manufacturer's production plants (SAP-style plant codes). */
export const PLANTS: readonly string[] = ['1010', '1020', '2010', '3010'];

/** Maker by name (true manufacturer string). */
function makerOf(name: string): Maker {
  return MAKERS.find((m) => m.name === name) ?? OEM;
}

/**
 * Builds the catalog of `count` products: base products and, for about 30 % of them, 1-3 variants
 * right after them (`PMP-200`, `PMP-200-X`, `PMP-200-XL`).
 *
 * @example
 * ```ts
 * const catalog = buildCatalog(42, 50, 20500);
 * catalog[0].partNumber // e.g. 'PMP-100'
 * ```
 */
export function buildCatalog(seed: number, count: number, refDay: number): ProductTruth[] {
  const rng = new Rng(seed, 0x50524f44);
  const nextModel = FAMILIES.map((f) => f.modelStart);
  const gtinCounter = new Map<string, number>();
  const products: ProductTruth[] = [];

  const gtinFor = (maker: Maker): string => {
    const n = gtinCounter.get(maker.name) ?? 0;
    gtinCounter.set(maker.name, n + 1);
    const prefix = maker.gs1[Math.floor(n / 100_000) % maker.gs1.length];
    const data12 = prefix + String(n % 100_000).padStart(5, '0');
    return withGs1Check(data12);
  };

  // The first two base products are a machine and a consumer product, so both buyer kinds find one.
  const forced = [0, FAMILIES.findIndex((f) => f.kind === 'consumer')];
  while (products.length < count) {
    const fi = forced.length ? (forced.shift() as number) : rng.weightedIndex(FAMILY_CUMULATIVE);
    const fam = FAMILIES[fi];
    const modelNo = nextModel[fi];
    nextModel[fi] += rng.pick(fam.modelSteps);
    const model = String(modelNo);
    const maker = fam.kind === 'spare' && rng.chance(0.4) ? SUPPLIERS[(fi + rng.int(2)) % SUPPLIERS.length] : OEM;
    const basePrice = fam.price[0] + rng.float() * (fam.price[1] - fam.price[0]);
    const spec = fam.spec(modelNo, rng);
    const launchDay = refDay - rng.range(200, 12 * 365);
    const serialFormat: SerialFormat =
      fam.kind === 'consumer' ? (rng.chance(0.6) ? 'numeric' : 'model') : rng.pick<SerialFormat>(['numeric', 'numeric', 'hex', 'hex', 'model']);
    const plant = rng.chance(0.8) ? PLANTS[fi % 2] : rng.pick(PLANTS);
    const nVariants = rng.chance(0.3) ? rng.range(1, Math.min(3, fam.suffixes.length)) : 0;
    // The base product, then distinct variant suffixes.
    const suffixes: string[] = [''];
    const pool = [...fam.suffixes];
    for (let v = 0; v < nVariants; v++) suffixes.push(pool.splice(rng.int(pool.length), 1)[0]);
    const baseIndex = products.length;
    for (const suffix of suffixes) {
      if (products.length >= count) break;
      const index = products.length;
      const partNumber = `${fam.code}-${model}${suffix ? `-${suffix}` : ''}`;
      const meaning = suffix ? SUFFIX_MEANING[suffix] ?? suffix : '';
      const price = Math.round(basePrice * (suffix ? 1.08 + rng.float() * 0.32 : 1) * 100) / 100;
      const r = rng.float();
      let gtin = gtinFor(maker);
      // Some spare parts are sold in packs identified by a GTIN-14 (indicator digit 1).
      if (fam.kind === 'spare' && rng.chance(0.25)) gtin = withGs1Check(`1${gtin.slice(0, 12)}`);
      products.push({
        index,
        trueId: trueIdFor('product', index),
        partNumber,
        label: fam.label,
        manufacturerPartNumber: maker.mpn(fam.code, model, suffix),
        manufacturer: maker.name,
        gtin,
        name: `${fam.label} ${partNumber}${meaning ? ` ${meaning}` : ''}`,
        description: `${fam.label}, ${spec}${meaning ? `, ${meaning}` : ''}`,
        family: fam.family,
        uom: fam.uom,
        status: r < 0.85 ? 'Active' : r < 0.95 ? 'Phased Out' : 'Obsolete',
        price,
        currency: 'EUR',
        serialized: fam.kind !== 'spare',
        consumer: fam.kind === 'consumer',
        variantOf: suffix ? baseIndex : -1,
        code: fam.code,
        model,
        suffix,
        serialFormat,
        serialCode: 0xa0 + index * 16,
        launchDay: suffix ? launchDay + rng.range(30, 700) : launchDay,
        plant,
      });
    }
  }
  return products;
}

const ERP_STATUS: Record<ProductTruth['status'], string> = { Active: 'RELEASED', 'Phased Out': 'PHASE-OUT', Obsolete: 'BLOCKED' };
const CRM_STATUS: Record<ProductTruth['status'], string> = { Active: 'Active', 'Phased Out': 'Active', Obsolete: 'Inactive' };
const UOM_VARIANTS: Record<string, readonly string[]> = { EA: ['PC', 'ST', 'Each', 'pcs'], KIT: ['KT', 'Kit', 'SET'], SET: ['ST', 'Set', 'KIT'] };

/**
 * A manufacturer name as written in a source ("Hydromec", "HYDROMEC", "Hydromec GmbH").
 *
 * @example
 * ```ts
 * manufacturerVariant(rng, 'Hydromec') // 'Hydromec GmbH'
 * ```
 */
export function manufacturerVariant(rng: Rng, name: string): string {
  return rng.pick(makerOf(name).aliases);
}

/**
 * The product as one source record (ERP material or CRM Product2), with noise.
 *
 * @example
 * ```ts
 * renderProduct(catalog[0], app).partNumber // 'PMP-100' or 'PMP100' ...
 * ```
 */
export function renderProduct(t: ProductTruth, app: Appearance): WorldRecord {
  const { rng, source } = app;
  const rec = envelope(app, 'product', t.index);
  rec.partNumber = appearanceChance(app, source === 'crm' ? 0.35 : 0.2) ? varyPartNumber(rng, t.partNumber) : t.partNumber;
  let name = t.name;
  if (appearanceChance(app, 0.1)) name = typo(rng, name);
  if (appearanceChance(app, 0.05)) name = varyCase(rng, name);
  rec.name = source === 'erp' ? name.slice(0, 40) : name;
  if (!appearanceChance(app, 0.3)) rec.description = appearanceChance(app, 0.08) ? typo(rng, t.description) : t.description;
  if (!appearanceChance(app, source === 'crm' ? 0.4 : 0.15)) {
    rec.gtin = t.gtin.length === 13 && appearanceChance(app, 0.25) ? `0${t.gtin}` : t.gtin;
  }
  if (source === 'erp' || !appearanceChance(app, 0.5)) {
    rec.manufacturer = appearanceChance(app, 0.3) ? manufacturerVariant(rng, t.manufacturer) : t.manufacturer;
  }
  if (source === 'erp' && !appearanceChance(app, 0.1)) rec.manufacturerPartNumber = t.manufacturerPartNumber;
  rec.family = t.family;
  rec.uom = appearanceChance(app, 0.3) && UOM_VARIANTS[t.uom] ? rng.pick(UOM_VARIANTS[t.uom]) : t.uom;
  rec.status = source === 'erp' ? ERP_STATUS[t.status] : CRM_STATUS[t.status];
  if (source === 'erp' || !appearanceChance(app, 0.3)) {
    rec.price = appearanceChance(app, 0.3) ? Math.round(t.price * (0.9 + rng.float() * 0.2) * 100) / 100 : t.price;
    rec.currency = t.currency;
  }
  return rec as WorldRecord;
}
