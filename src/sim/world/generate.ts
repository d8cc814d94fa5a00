/**
 * `generateWorld`: streams the world's source records with their truth, entity type by entity
 * type (customers, products, locations, serials, assets, contracts), each true entity's records
 * together (source order erp, crm, fsm; a duplicate right after its source's original record).
 * Every reference points at a record emitted earlier in the stream.
 *
 * Memory: the plan (typed arrays, a few bytes per true entity) plus the product catalog; records
 * are built one entity at a time and not retained.
 */
import type { EntityType } from '../../core/entities';
import { DUPLICATE_NOISE_FACTOR, SOURCE_NOISE_FACTOR, type Appearance } from './appearance';
import { buildAsset, renderAsset } from './assets';
import { buildContract, renderContract } from './contracts';
import { buildCustomer, CUSTOMER_FLAG, renderCustomer, type CustomerTruth } from './customers';
import { trueIdFor } from './ids';
import { buildLocation, renderLocation } from './locations';
import { planWorld, type WorldPlan } from './plan';
import { renderProduct } from './products';
import { Rng } from './random';
import { buildSerial, renderSerial } from './serials';
import { STREAM } from './streams';
import { SOURCE_NAMES, type LabelledRecord, type WorldOptions, type WorldRecord } from './types';

/** The order in which entity types are emitted (referenced types first). */
export const EMIT_ORDER: readonly EntityType[] = ['customer', 'product', 'location', 'serial', 'asset', 'contract'];

const ENTITY_CODE: Record<EntityType, number> = { customer: 1, product: 2, location: 3, serial: 4, asset: 5, contract: 6 };

/**
 * Streams the labelled source records of a seeded synthetic world.
 *
 * @example
 * ```ts
 * for (const { record, trueId } of generateWorld({ seed: 42, size: 10_000 })) {
 *   // record: { entity: 'customer', source: 'erp', sourceId: '1000000', updatedAt: '…Z', kind: 'organization', name: 'Krüger Holding GmbH', … }
 *   // trueId: 'C000001'
 * }
 * ```
 */
export function* generateWorld(options: WorldOptions): Generator<LabelledRecord, void, undefined> {
  yield* emitWorld(planWorld(options));
}

/**
 * Streams the records of an already planned world (see `planWorld`).
 *
 * @example
 * ```ts
 * const plan = planWorld({ seed: 1, size: 5000 });
 * const n = [...emitWorld(plan)].length; // === plan.totalRecords
 * ```
 */
export function* emitWorld(plan: WorldPlan): Generator<LabelledRecord, void, undefined> {
  const truthRng = new Rng();
  const app: Appearance = { rng: new Rng(), plan, source: 'erp', sourceIndex: 0, dup: false, level: 0 };
  const out: WorldRecord[] = [];

  /** Fills `out` with the records of entity #index, rendered by `render`. */
  const appear = (entity: EntityType, index: number, render: (a: Appearance) => WorldRecord): void => {
    out.length = 0;
    const table = plan.presence[entity];
    for (let s = 0; s < 3; s++) {
      const seq = table.seq[s];
      if (!seq || seq[index] < 0) continue;
      const dupSeq = table.dupSeq[s];
      const copies = dupSeq && dupSeq[index] >= 0 ? 2 : 1;
      for (let copy = 0; copy < copies; copy++) {
        const source = SOURCE_NAMES[s];
        app.source = source;
        app.sourceIndex = s;
        app.dup = copy === 1;
        app.level = plan.noise * SOURCE_NOISE_FACTOR[source] * (copy === 1 ? DUPLICATE_NOISE_FACTOR : 1);
        app.rng.reseed(plan.seed, STREAM.appearance + ENTITY_CODE[entity], index, s * 2 + copy);
        out.push(render(app));
      }
    }
  };
  const present = (entity: EntityType, index: number): boolean => {
    const table = plan.presence[entity];
    for (let s = 0; s < 3; s++) {
      const seq = table.seq[s];
      if (seq && seq[index] >= 0) return true;
    }
    return false;
  };

  // Customers.
  for (let c = 0; c < plan.nCustomer; c++) {
    if (!present('customer', c)) continue;
    const t = buildCustomer(plan, c, truthRng);
    const look = plan.custLookalike[c];
    const hardNegative =
      look >= 0
        ? { of: trueIdFor('customer', look), kind: plan.custFlags[c] & CUSTOMER_FLAG.person ? ('namesake-person' as const) : ('sister-company' as const) }
        : undefined;
    appear('customer', c, (a) => renderCustomer(t, a));
    for (const record of out) yield hardNegative ? { record, trueId: t.trueId, hardNegative } : { record, trueId: t.trueId };
  }

  // Products.
  for (const t of plan.products) {
    if (!present('product', t.index)) continue;
    const hardNegative = t.variantOf >= 0 ? { of: trueIdFor('product', t.variantOf), kind: 'product-variant' as const } : undefined;
    appear('product', t.index, (a) => renderProduct(t, a));
    for (const record of out) yield hardNegative ? { record, trueId: t.trueId, hardNegative } : { record, trueId: t.trueId };
  }

  // Locations, grouped by owner.
  for (let c = 0; c < plan.nCustomer; c++) {
    const start = plan.custLocStart[c];
    const end = plan.custLocStart[c + 1];
    let owner: CustomerTruth | null = null;
    for (let j = start; j < end; j++) {
      if (!present('location', j)) continue;
      owner ??= buildCustomer(plan, c, truthRng);
      const t = buildLocation(plan, j, owner, j - start, truthRng);
      appear('location', j, (a) => renderLocation(t, a));
      for (const record of out) yield { record, trueId: t.trueId };
    }
  }

  // Serials.
  const nSerial = plan.serialProduct.length;
  for (let s = 0; s < nSerial; s++) {
    if (!present('serial', s)) continue;
    const t = buildSerial(plan, s, truthRng);
    appear('serial', s, (a) => renderSerial(t, a));
    for (const record of out) yield { record, trueId: t.trueId };
  }

  // Assets, grouped by owner.
  for (let c = 0; c < plan.nCustomer; c++) {
    for (let i = plan.custAssetStart[c]; i < plan.custAssetStart[c + 1]; i++) {
      if (!present('asset', i)) continue;
      const t = buildAsset(plan, i, c, truthRng);
      appear('asset', i, (a) => renderAsset(t, a));
      for (const record of out) yield { record, trueId: t.trueId };
    }
  }

  // Contracts.
  const nContract = plan.contractCustomer.length;
  for (let k = 0; k < nContract; k++) {
    if (!present('contract', k)) continue;
    const t = buildContract(plan, k, truthRng);
    appear('contract', k, (a) => renderContract(t, a));
    for (const record of out) yield { record, trueId: t.trueId };
  }
}
