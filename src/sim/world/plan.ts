/**
 * The world's structure, decided before any record is written and held in compact typed arrays
 * (a few bytes per true entity, never record objects):
 * - customers: organizations in corporate groups (root, campus/sister flags), then persons (namesakes);
 * - locations per organization, assets per customer (bought in batches of consecutive serials),
 *   serials per product (installed units interleaved with stock), contracts per customer covering
 *   a run of its assets;
 * - presence: in which sources each entity appears, whether it is duplicated there, and the
 *   sequence number of each of its records (from which its `sourceId` is derived).
 *
 * The number of organizations is calibrated so that the total number of records is close to
 * `options.size`.
 */
import { ENTITY_TYPES, type EntityType } from '../../core/entities';
import { CUSTOMER_FLAG } from './customers';
import { daysOfIso } from './dates';
import { buildCatalog, type ProductTruth } from './products';
import { Rng, cumulate, seedToUint32 } from './random';
import { STREAM } from './streams';
import { SOURCE_ENTITIES, SOURCE_NAMES, type SourceName, type WorldOptions } from './types';

/** Where the true entities of one type appear (see `WorldPlan.presence`). */
export interface PresenceTable {
  /** Number of true entities of the type in the world's structure. */
  count: number;
  /** How many of them have at least one record (all of them unless no selected source holds the type). */
  appearing: number;
  /** Per source (erp, crm, fsm): sequence number of the entity's record, or -1; null when the source has none of the type. */
  seq: (Int32Array | null)[];
  /** Per source: sequence number of the entity's in-source duplicate, or -1. */
  dupSeq: (Int32Array | null)[];
  /** Number of records per source. */
  records: number[];
}

/** The world's structure: typed arrays indexed by true entity number (0-based; true id = prefix + index+1). */
export interface WorldPlan {
  /** uint32 form of the seed. */
  seed: number;
  noise: number;
  /** The world's "today" as a day number. */
  refDay: number;
  sources: readonly SourceName[];
  nOrg: number;
  nCustomer: number;
  /** Organizations: index of the group's root (itself for a root or standalone); persons: -1. */
  custGroupRoot: Int32Array;
  /** {@link CUSTOMER_FLAG} bits. */
  custFlags: Uint8Array;
  /** The customer this one was built to resemble (sister company or namesake), or -1. */
  custLookalike: Int32Array;
  /** Locations of customer c: `custLocStart[c] .. custLocStart[c+1]-1`. */
  custLocStart: Int32Array;
  products: ProductTruth[];
  /** Serials of product p: `prodSerialStart[p] .. prodSerialStart[p+1]-1`. */
  prodSerialStart: Int32Array;
  serialProduct: Int32Array;
  /** Assets of customer c: `custAssetStart[c] .. custAssetStart[c+1]-1`. */
  custAssetStart: Int32Array;
  assetSerial: Int32Array;
  /** Location of each asset, or -1. */
  assetLocation: Int32Array;
  contractCustomer: Int32Array;
  contractAssetStart: Int32Array;
  contractAssetCount: Int32Array;
  presence: Record<EntityType, PresenceTable>;
  totalRecords: number;
}

/** A growable Int32Array. */
class IntList {
  private data = new Int32Array(1024);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

type Probabilities = readonly [number, number, number];

interface PresenceRule {
  /** Probability of appearing in erp, crm, fsm when the parent appears there (or for entities without parent). */
  hi: Probabilities;
  /** ... when the parent does not appear there. */
  lo: Probabilities;
  /** Base in-source duplicate rate (scaled by noise). */
  dup: number;
}

const RULES: Record<EntityType | 'person', PresenceRule> = {
  customer: { hi: [0.85, 0.72, 0.5], lo: [0.85, 0.72, 0.5], dup: 0.06 },
  person: { hi: [0.3, 0.92, 0.2], lo: [0.3, 0.92, 0.2], dup: 0.05 },
  location: { hi: [0, 0.6, 0.9], lo: [0, 0.1, 0.2], dup: 0.04 },
  product: { hi: [0.97, 0.6, 0], lo: [0.97, 0.6, 0], dup: 0.03 },
  serial: { hi: [1, 0, 0], lo: [1, 0, 0], dup: 0.02 },
  asset: { hi: [0.75, 0.5, 0.85], lo: [0.15, 0.1, 0.2], dup: 0.04 },
  contract: { hi: [0.8, 0.6, 0.6], lo: [0.1, 0.1, 0.15], dup: 0.03 },
};

const DUP_BIT = 3;

/** Normalized options with defaults applied. */
export interface ResolvedOptions {
  seed: number;
  size: number;
  sources: readonly SourceName[];
  noise: number;
  refDay: number;
}

/**
 * Applies defaults and checks the options.
 *
 * @example
 * ```ts
 * resolveOptions({ seed: 42, size: 1000 }).noise // 0.5
 * ```
 */
export function resolveOptions(options: WorldOptions): ResolvedOptions {
  const size = Math.floor(options.size);
  if (!(size >= 1)) throw new Error(`size must be a positive number, got ${options.size}`);
  const noise = options.noise ?? 0.5;
  if (!(noise >= 0 && noise <= 1)) throw new Error(`noise must be within 0..1, got ${options.noise}`);
  const requested = options.sources ?? SOURCE_NAMES;
  for (const s of requested) if (!SOURCE_NAMES.includes(s)) throw new Error(`unknown source ${s} (expected erp, crm, fsm)`);
  if (requested.length === 0) throw new Error('sources must not be empty');
  const refDate = options.referenceDate ?? '2026-03-01';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(refDate)) throw new Error(`referenceDate must be YYYY-MM-DD, got ${refDate}`);
  return {
    seed: seedToUint32(options.seed),
    size,
    sources: SOURCE_NAMES.filter((s) => requested.includes(s)),
    noise,
    refDay: daysOfIso(refDate),
  };
}

function orgLocationCount(rng: Rng): number {
  const r = rng.float();
  if (r < 0.3) return 0;
  if (r < 0.7) return 1;
  if (r < 0.85) return 2;
  if (r < 0.93) return 3;
  return rng.range(4, 8);
}

function orgAssetCount(rng: Rng): number {
  const r = rng.float();
  if (r < 0.3) return 0;
  if (r < 0.6) return 1;
  if (r < 0.75) return 2;
  if (r < 0.92) return rng.range(3, 5);
  if (r < 0.99) return rng.range(6, 12);
  return rng.range(13, 40);
}

function personAssetCount(rng: Rng): number {
  const r = rng.float();
  return r < 0.5 ? 0 : r < 0.9 ? 1 : 2;
}

function popularity(indices: number[], rng: Rng): { items: Int32Array; cumulative: Float64Array } {
  const weights = indices.map(() => 0);
  // Zipf-like popularity over a random ranking.
  const ranks = indices.map((_, i) => i);
  for (let i = ranks.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [ranks[i], ranks[j]] = [ranks[j], ranks[i]];
  }
  for (let i = 0; i < indices.length; i++) weights[i] = 1 / Math.pow(1 + ranks[i], 0.8);
  return { items: Int32Array.from(indices), cumulative: cumulate(weights) };
}

function presenceTable(
  entity: EntityType,
  count: number,
  opts: ResolvedOptions,
  rng: Rng,
  rule: (i: number) => PresenceRule,
  parentMask: ((i: number) => number) | null,
): PresenceTable {
  const eligible = [0, 1, 2].map((s) => opts.sources.includes(SOURCE_NAMES[s]) && SOURCE_ENTITIES[SOURCE_NAMES[s]].includes(entity));
  const masks = new Uint8Array(count);
  let appearing = 0;
  const dupScale = 0.4 + 1.2 * opts.noise;
  if (eligible.some(Boolean)) {
    for (let i = 0; i < count; i++) {
      const r = rule(i);
      const pm = parentMask ? parentMask(i) : 7;
      let mask = 0;
      let total = 0;
      const p = [0, 0, 0];
      for (let s = 0; s < 3; s++) {
        if (!eligible[s]) continue;
        p[s] = pm & (1 << s) ? r.hi[s] : r.lo[s];
        total += p[s];
        if (rng.chance(p[s])) mask |= 1 << s;
      }
      if (mask === 0) {
        // Every true entity appears at least once: pick a source by weight.
        let x = rng.float() * total;
        let chosen = eligible.indexOf(true);
        for (let s = 0; s < 3; s++) {
          if (!eligible[s] || p[s] === 0) continue;
          chosen = s;
          x -= p[s];
          if (x < 0) break;
        }
        mask = 1 << chosen;
      }
      for (let s = 0; s < 3; s++) if (mask & (1 << s) && rng.chance(r.dup * dupScale)) mask |= 1 << (s + DUP_BIT);
      masks[i] = mask;
      appearing++;
    }
  }
  const seq: (Int32Array | null)[] = [null, null, null];
  const dupSeq: (Int32Array | null)[] = [null, null, null];
  const records = [0, 0, 0];
  for (let s = 0; s < 3; s++) {
    if (!eligible[s]) continue;
    const a = new Int32Array(count).fill(-1);
    const d = new Int32Array(count).fill(-1);
    let n = 0;
    for (let i = 0; i < count; i++) if (masks[i] & (1 << s)) a[i] = n++;
    // Duplicates were entered later: their numbers follow all originals.
    for (let i = 0; i < count; i++) if (masks[i] & (1 << (s + DUP_BIT))) d[i] = n++;
    seq[s] = a;
    dupSeq[s] = d;
    records[s] = n;
  }
  return { count, appearing, seq, dupSeq, records };
}

/** Bit mask of the sources where entity i has its (primary) record. */
function maskOf(table: PresenceTable, i: number): number {
  let m = 0;
  for (let s = 0; s < 3; s++) {
    const a = table.seq[s];
    if (a && a[i] >= 0) m |= 1 << s;
  }
  return m;
}

/**
 * Builds the plan for a given number of organizations.
 *
 * @example
 * ```ts
 * buildPlan(resolveOptions({ seed: 1, size: 1000 }), 70).totalRecords // about 1000
 * ```
 */
export function buildPlan(opts: ResolvedOptions, nOrg: number): WorldPlan {
  const rng = new Rng();
  const nPerson = Math.round(nOrg * 0.5);
  const nCustomer = nOrg + nPerson;

  // Customers: groups of organizations, then persons.
  rng.reseed(opts.seed, STREAM.plan, 1);
  const custGroupRoot = new Int32Array(nCustomer).fill(-1);
  const custFlags = new Uint8Array(nCustomer);
  const custLookalike = new Int32Array(nCustomer).fill(-1);
  for (let i = 0; i < nOrg; ) {
    const size = Math.min(nOrg - i, rng.chance(0.14) ? rng.range(2, 5) : 1);
    let lastCampus = -1;
    for (let m = 0; m < size; m++) {
      const idx = i + m;
      custGroupRoot[idx] = i;
      const campus = size > 1 && rng.chance(m === 0 ? 0.6 : 0.5);
      if (campus) {
        custFlags[idx] |= CUSTOMER_FLAG.campus;
        if (lastCampus >= 0) custLookalike[idx] = lastCampus;
        lastCampus = idx;
      } else if (m > 0 && rng.chance(0.3)) custFlags[idx] |= CUSTOMER_FLAG.foreign;
    }
    i += size;
  }
  for (let p = nOrg; p < nCustomer; p++) {
    custFlags[p] = CUSTOMER_FLAG.person;
    if (p > nOrg && !(custFlags[p - 1] & CUSTOMER_FLAG.namesake) && rng.chance(0.04)) {
      custFlags[p] |= CUSTOMER_FLAG.namesake;
      custLookalike[p] = p - 1;
    }
  }

  // Locations of organizations.
  rng.reseed(opts.seed, STREAM.plan, 2);
  const custLocStart = new Int32Array(nCustomer + 1);
  for (let c = 0; c < nCustomer; c++) custLocStart[c + 1] = custLocStart[c] + (c < nOrg ? orgLocationCount(rng) : 0);

  // Catalog and product popularity.
  const nProduct = Math.min(30_000, Math.max(12, Math.round(12 + nOrg * 0.06)));
  const products = buildCatalog(opts.seed, nProduct, opts.refDay);
  rng.reseed(opts.seed, STREAM.plan, 3);
  const machines = products.filter((p) => p.serialized && !p.consumer).map((p) => p.index);
  const consumer = products.filter((p) => p.serialized && p.consumer).map((p) => p.index);
  const orgPick = popularity(machines.length ? machines : consumer, rng);
  const personPick = popularity(consumer.length ? consumer : machines, rng);

  // Assets: batches of one product per customer, at one of the customer's locations.
  rng.reseed(opts.seed, STREAM.plan, 4);
  const custAssetStart = new Int32Array(nCustomer + 1);
  const assetProduct = new IntList();
  const assetLocationList = new IntList();
  for (let c = 0; c < nCustomer; c++) {
    const org = c < nOrg;
    let remaining = org ? orgAssetCount(rng) : personAssetCount(rng);
    const locStart = custLocStart[c];
    const nLoc = custLocStart[c + 1] - locStart;
    while (remaining > 0) {
      const pick = org ? orgPick : personPick;
      const product = pick.items[rng.weightedIndex(pick.cumulative)];
      const batch = Math.min(remaining, rng.chance(0.35) ? rng.range(2, 6) : 1);
      const location = nLoc > 0 && rng.chance(0.9) ? locStart + rng.int(nLoc) : -1;
      for (let b = 0; b < batch; b++) {
        assetProduct.push(product);
        assetLocationList.push(location);
      }
      remaining -= batch;
    }
    custAssetStart[c + 1] = assetProduct.length;
  }
  const nAsset = assetProduct.length;
  const assetProducts = assetProduct.toArray();

  // Serials: installed units plus stock, numbered per product; assets take them in order with
  // stock units interleaved.
  rng.reseed(opts.seed, STREAM.plan, 5);
  const installed = new Int32Array(products.length);
  for (let a = 0; a < nAsset; a++) installed[assetProducts[a]]++;
  const stock = new Int32Array(products.length);
  const prodSerialStart = new Int32Array(products.length + 1);
  for (let p = 0; p < products.length; p++) {
    if (products[p].serialized) stock[p] = Math.round(installed[p] * (0.15 + rng.float() * 0.4)) + rng.int(4);
    prodSerialStart[p + 1] = prodSerialStart[p] + (products[p].serialized ? installed[p] + stock[p] : 0);
  }
  const nSerial = prodSerialStart[products.length];
  const serialProduct = new Int32Array(nSerial);
  for (let p = 0; p < products.length; p++) serialProduct.fill(p, prodSerialStart[p], prodSerialStart[p + 1]);
  const next = prodSerialStart.slice(0, products.length);
  const installedLeft = installed.slice();
  const stockLeft = stock.slice();
  const assetSerial = new Int32Array(nAsset);
  for (let a = 0; a < nAsset; a++) {
    const p = assetProducts[a];
    if (stockLeft[p] > 0 && rng.chance(stockLeft[p] / (stockLeft[p] + installedLeft[p]))) {
      next[p]++;
      stockLeft[p]--;
    }
    assetSerial[a] = next[p]++;
    installedLeft[p]--;
  }

  // Contracts over runs of a customer's assets.
  rng.reseed(opts.seed, STREAM.plan, 6);
  const contractCustomer = new IntList();
  const contractAssetStart = new IntList();
  const contractAssetCount = new IntList();
  const addContract = (c: number, start: number, count: number) => {
    contractCustomer.push(c);
    contractAssetStart.push(start);
    contractAssetCount.push(count);
  };
  for (let c = 0; c < nCustomer; c++) {
    const start = custAssetStart[c];
    const n = custAssetStart[c + 1] - start;
    if (n === 0) continue;
    if (c >= nOrg) {
      if (rng.chance(0.12)) addContract(c, start, n);
      continue;
    }
    const r = rng.float();
    if (r < 0.45) continue;
    if (r < 0.9 || n < 2) {
      if (n > 2 && rng.chance(0.3)) {
        const len = rng.range(1, n - 1);
        addContract(c, start + rng.int(n - len + 1), len);
      } else addContract(c, start, n);
    } else {
      const split = rng.range(1, n - 1);
      addContract(c, start, split);
      addContract(c, start + split, n - split);
    }
  }

  // Presence in the sources.
  rng.reseed(opts.seed, STREAM.plan, 7);
  const custCustomerRule = (i: number) => (custFlags[i] & CUSTOMER_FLAG.person ? RULES.person : RULES.customer);
  const customer = presenceTable('customer', nCustomer, opts, rng, custCustomerRule, null);
  const nLocation = custLocStart[nCustomer];
  const locationOwner = new Int32Array(nLocation);
  for (let c = 0; c < nCustomer; c++) locationOwner.fill(c, custLocStart[c], custLocStart[c + 1]);
  const assetOwner = new Int32Array(nAsset);
  for (let c = 0; c < nCustomer; c++) assetOwner.fill(c, custAssetStart[c], custAssetStart[c + 1]);
  const contractCustomers = contractCustomer.toArray();
  const location = presenceTable('location', nLocation, opts, rng, () => RULES.location, (i) => maskOf(customer, locationOwner[i]));
  const product = presenceTable('product', products.length, opts, rng, () => RULES.product, null);
  const serial = presenceTable('serial', nSerial, opts, rng, () => RULES.serial, null);
  const asset = presenceTable('asset', nAsset, opts, rng, () => RULES.asset, (i) => maskOf(customer, assetOwner[i]));
  const contract = presenceTable('contract', contractCustomers.length, opts, rng, () => RULES.contract, (i) => maskOf(customer, contractCustomers[i]));
  const presence: Record<EntityType, PresenceTable> = { customer, location, product, serial, asset, contract };
  let totalRecords = 0;
  for (const e of ENTITY_TYPES) for (const n of presence[e].records) totalRecords += n;

  return {
    seed: opts.seed,
    noise: opts.noise,
    refDay: opts.refDay,
    sources: opts.sources,
    nOrg,
    nCustomer,
    custGroupRoot,
    custFlags,
    custLookalike,
    custLocStart,
    products,
    prodSerialStart,
    serialProduct,
    custAssetStart,
    assetSerial,
    assetLocation: assetLocationList.toArray(),
    contractCustomer: contractCustomers,
    contractAssetStart: contractAssetStart.toArray(),
    contractAssetCount: contractAssetCount.toArray(),
    presence,
    totalRecords,
  };
}

/**
 * Plans a world for the options, calibrating the number of organizations so that the total
 * number of records is within about 1 % of `size` (for sizes above a few hundred).
 *
 * @example
 * ```ts
 * const plan = planWorld({ seed: 42, size: 10_000 });
 * plan.totalRecords // ≈ 10,000
 * ```
 */
export function planWorld(options: WorldOptions): WorldPlan {
  const opts = resolveOptions(options);
  let nOrg = Math.min(4000, Math.max(2, Math.round(opts.size / 14)));
  let plan = buildPlan(opts, nOrg);
  for (let iteration = 0; iteration < 4; iteration++) {
    if (Math.abs(plan.totalRecords - opts.size) <= opts.size * 0.005) break;
    const target = Math.max(2, Math.round((nOrg * opts.size) / Math.max(1, plan.totalRecords)));
    if (target === nOrg) break;
    nOrg = target;
    plan = buildPlan(opts, nOrg);
  }
  return plan;
}

/**
 * Records per entity type and source of a plan, and the number of true entities with records.
 *
 * @example
 * ```ts
 * planCounts(plan).customer.erp // number of ERP customer records
 * ```
 */
export function planCounts(plan: WorldPlan): Record<EntityType, Record<SourceName, number> & { total: number; trueEntities: number }> {
  const out = {} as Record<EntityType, Record<SourceName, number> & { total: number; trueEntities: number }>;
  for (const e of ENTITY_TYPES) {
    const r = plan.presence[e].records;
    out[e] = { erp: r[0], crm: r[1], fsm: r[2], total: r[0] + r[1] + r[2], trueEntities: plan.presence[e].appearing };
  }
  return out;
}
