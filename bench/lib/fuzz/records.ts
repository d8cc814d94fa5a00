import { ENTITY_ATTRIBUTES, type EntityType } from '../../../src/core/entities';
import { generateWorld } from '../../../src/sim/world';
import type { Rng } from '../../../src/sim/world/random';
import {
  CONTROL,
  deepJsonText,
  defineKey,
  INVALID_DATES,
  PROTO_KEYS,
  randomJson,
  SQL_INJECTIONS,
  UNICODE,
  UNSTORABLE,
  VALID_DATES,
} from './values';

/**
 * Canonical records to mutate: a generated world's records, and mutations that either keep a
 * record valid (hostile but legal content) or make it invalid (what the validator must refuse).
 * Each mutated record carries its expected verdict, which the checks compare with the hub's.
 */

export type Verdict = 'valid' | 'invalid';

export interface MutatedRecord {
  /** The record as an object (own `__proto__` keys are real properties). */
  record: Record<string, unknown>;
  verdict: Verdict;
  /** What was done to it, for the failure report. */
  mutations: string[];
  /** When set, the record's JSON text (used instead of `JSON.stringify(record)`, e.g. deep nesting). */
  text?: string;
}

export class RecordPool {
  readonly records: ReadonlyArray<Record<string, unknown>>;
  private readonly bySource = new Map<string, Array<Record<string, unknown>>>();
  constructor(seed: number, size: number) {
    this.records = [...generateWorld({ seed, size })].map((r) => ({ ...r.record }) as Record<string, unknown>);
    for (const r of this.records) {
      const list = this.bySource.get(String(r.source)) ?? [];
      list.push(r);
      this.bySource.set(String(r.source), list);
    }
  }
  /** A copy of a random record (of the source, when given and known). */
  pick(rng: Rng, source?: string): Record<string, unknown> {
    const list = (source && this.bySource.get(source)) || this.records;
    return { ...rng.pick(list) };
  }
}

const stringAttrs = (entity: EntityType) => Object.entries(ENTITY_ATTRIBUTES[entity]).filter(([, s]) => s.kind === 'string').map(([k]) => k);
const attrsOf = (entity: EntityType, kind: string) => Object.entries(ENTITY_ATTRIBUTES[entity]).filter(([, s]) => s.kind === kind).map(([k]) => k);

type Mutation = (rng: Rng, r: Record<string, unknown>, m: MutatedRecord) => Verdict | null;

/** Mutations that keep a record valid. Return null when they do not apply to the record. */
const KEEP_VALID: Record<string, Mutation> = {
  sqlInjectionValue: (rng, r) => setString(rng, r, rng.pick(SQL_INJECTIONS)),
  unicodeValue: (rng, r) => setString(rng, r, `${rng.pick(UNICODE)} ${rng.pick(UNICODE)}`),
  controlChars: (rng, r) => setString(rng, r, `a${rng.pick(CONTROL)}b${rng.pick(CONTROL)}`),
  longString: (rng, r) => setString(rng, r, 'Ä'.repeat(rng.range(100, 21_000))),
  numberForString: (rng, r) => setString(rng, r, rng.int(1_000_000)),
  nullAttribute: (rng, r) => setString(rng, r, null),
  emptyAttribute: (rng, r) => setString(rng, r, ''),
  unknownField: (rng, r) => {
    defineKey(r, `x_${rng.int(1000)}`, storableJson(randomJson(rng)));
    return 'valid';
  },
  protoKey: (rng, r) => {
    defineKey(r, rng.pick(PROTO_KEYS), rng.chance(0.5) ? { polluted: true, entity: 'contract', isAdmin: true } : 'yes');
    return 'valid';
  },
  shallowNesting: (rng, r) => {
    r.extra = JSON.parse(deepJsonText(rng.range(2, 20), rng.chance(0.5) ? 'array' : 'object'));
    return 'valid';
  },
  numberAsString: (rng, r) => {
    const entity = r.entity as EntityType;
    const names = attrsOf(entity, 'number');
    if (names.length === 0) return null;
    r[rng.pick(names)] = rng.pick(['12.5', '-3', '1e3', ' 42 ', '.5']);
    return 'valid';
  },
  otherValidDate: (rng, r) => {
    const names = attrsOf(r.entity as EntityType, 'date');
    if (names.length === 0) return null;
    r[rng.pick(names)] = rng.chance(0.5) ? rng.pick(VALID_DATES) : `${rng.pick(VALID_DATES)}T10:15:00+02:00`;
    return 'valid';
  },
  updatedAtWithOffset: (_rng, r) => {
    r.updatedAt = '2025-06-30T23:59:59.123456+05:30';
    return 'valid';
  },
  deletedTrue: (_rng, r) => {
    r.deleted = true;
    return 'valid';
  },
  hostileSourceId: (rng, r) => {
    r.sourceId = `${rng.pick([...SQL_INJECTIONS, ...UNICODE]).slice(0, 60)}~${String(r.sourceId).split('~').pop()}`;
    return 'valid';
  },
  removeUpdatedAt: (_rng, r) => {
    delete r.updatedAt;
    return 'valid';
  },
};

/** Mutations that make a record invalid. */
const MAKE_INVALID: Record<string, Mutation> = {
  dropSourceId: (_rng, r) => {
    delete r.sourceId;
    return 'invalid';
  },
  dropEntity: (_rng, r) => {
    delete r.entity;
    return 'invalid';
  },
  unknownEntity: (rng, r) => {
    r.entity = rng.pick<unknown>(['Customer', 'customers', 'vendor', ' customer', 42, ['customer'], { a: 1 }, rng.pick(SQL_INJECTIONS)]);
    return 'invalid';
  },
  invalidDate: (rng, r) => {
    const names = attrsOf(r.entity as EntityType, 'date');
    const bad = rng.pick(INVALID_DATES.filter((d) => d !== ''));
    if (names.length === 0) r.updatedAt = bad;
    else r[rng.pick(names)] = bad;
    return 'invalid';
  },
  invalidUpdatedAt: (rng, r) => {
    r.updatedAt = rng.pick([...INVALID_DATES.filter((d) => d !== ''), 12345, true, { at: 1 }]);
    return 'invalid';
  },
  wrongTypeAttribute: (rng, r) => {
    const names = stringAttrs(r.entity as EntityType);
    r[rng.pick(names)] = rng.pick<unknown>([true, false, { a: 1 }, [1, 2], ['x'], {}]);
    return 'invalid';
  },
  badEnum: (rng, r) => {
    if (r.entity !== 'customer') return null;
    r.kind = rng.pick(['company', 'ORGANIZATION', 'person ', 1, rng.pick(SQL_INJECTIONS)]);
    return 'invalid';
  },
  notANumber: (rng, r) => {
    const names = attrsOf(r.entity as EntityType, 'number');
    if (names.length === 0) return null;
    r[rng.pick(names)] = rng.pick(['abc', '0x10', 'Infinity', 'NaN', '1,5', '12 EUR', true]);
    return 'invalid';
  },
  hugeString: (rng, r) => setString(rng, r, rng.chance(0.5) ? 'x'.repeat(rng.range(65_537, 200_000)) : 'é'.repeat(rng.range(32_769, 40_000))) && 'invalid',
  unstorable: (rng, r) => {
    const where = rng.int(4);
    const bad = rng.pick(UNSTORABLE);
    if (where === 0) setString(rng, r, `name${bad}`);
    else if (where === 1) r.sourceId = `id${bad}`;
    else if (where === 2) defineKey(r, 'note', { deep: [`v${bad}`] });
    else defineKey(r, `k${bad}`, 'v');
    return 'invalid';
  },
  longSourceId: (rng, r) => {
    r.sourceId = 'S'.repeat(rng.range(129, 5000));
    return 'invalid';
  },
  badDeleted: (rng, r) => {
    r.deleted = rng.pick(['yes', 'true', 1, 0, {}, []]);
    return 'invalid';
  },
  badRefs: (rng, r) => {
    if (r.entity !== 'contract') return null;
    r.assetRefs = rng.pick<unknown>(['A1|A2', [{ id: 1 }], [true], 7]);
    return 'invalid';
  },
  sourceIdObject: (rng, r) => {
    r.sourceId = rng.pick<unknown>([{ id: 1 }, [1], true, 1.5, 2 ** 60, -0.5]);
    return 'invalid';
  },
  badSource: (rng, r) => {
    r.source = rng.pick<unknown>(['ERP', 'e r p', 'x'.repeat(41), 7, rng.pick(SQL_INJECTIONS)]);
    return 'invalid';
  },
  hugeUnknownObject: (rng, r) => {
    r.blob = { list: Array.from({ length: rng.range(7000, 9000) }, (_, i) => `item-${i}`) };
    return 'invalid';
  },
};

/** A random JSON value PostgreSQL can store, well under the field size limit. */
function storableJson(v: unknown): unknown {
  const clean = (x: unknown): unknown => {
    if (typeof x === 'string') return x.replace(/[\u0000\ud800-\udfff]/g, '?');
    if (Array.isArray(x)) return x.map(clean);
    if (x !== null && typeof x === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(x)) defineKey(o, clean(k) as string, clean(val));
      return o;
    }
    return x;
  };
  const value = clean(v);
  return JSON.stringify(value).length > 20_000 ? 'big' : value;
}

function setString(rng: Rng, r: Record<string, unknown>, value: unknown): Verdict {
  const names = stringAttrs(r.entity as EntityType);
  r[rng.pick(names)] = value;
  return 'valid';
}

export const VALID_MUTATIONS = Object.keys(KEEP_VALID);
export const INVALID_MUTATIONS = Object.keys(MAKE_INVALID);

/**
 * A world record mutated a few times. `invalidShare` is the chance that one invalidating
 * mutation is applied; keep-valid mutations are applied 0-3 times in any case.
 */
export function mutateRecord(rng: Rng, base: Record<string, unknown>, invalidShare: number, uid: string): MutatedRecord {
  // The suffix makes the record's key unique in the run, so the checks can find it.
  const record: Record<string, unknown> = { ...base, sourceId: `${String(base.sourceId).slice(0, 40)}~${uid}` };
  const m: MutatedRecord = { record, verdict: 'valid', mutations: [] };
  const n = rng.int(4);
  for (let i = 0; i < n; i++) {
    const name = rng.pick(VALID_MUTATIONS);
    if (KEEP_VALID[name](rng, record, m) !== null) m.mutations.push(name);
  }
  if (rng.chance(invalidShare)) {
    for (let tries = 0; tries < 5; tries++) {
      const name = rng.pick(INVALID_MUTATIONS);
      if (MAKE_INVALID[name](rng, record, m) !== null) {
        m.mutations.push(name);
        m.verdict = 'invalid';
        break;
      }
    }
  }
  if (m.verdict === 'valid' && rng.chance(0.02)) {
    // Nesting far past any sane depth: the text is built by hand (JSON.stringify would overflow).
    const depth = rng.range(5000, 200_000);
    const json = JSON.stringify(record);
    m.text = `${json.slice(0, -1)},"nested":${deepJsonText(depth, rng.chance(0.5) ? 'array' : 'object')}}`;
    m.mutations.push(`deepNesting(${depth})`);
    m.verdict = 'invalid';
  }
  return m;
}

/** The JSON text of a mutated record. */
export function recordText(m: MutatedRecord): string {
  return m.text ?? JSON.stringify(m.record);
}
