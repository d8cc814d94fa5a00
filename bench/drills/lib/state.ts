/**
 * What the drills compare, read from a hub database as plain maps (key -> canonical JSON), so two
 * databases compare key by key with no internal ids or wall-clock times in the way.
 *
 * Source records, keyed `source|entity|sourceId`: deleted flag, version, updatedAt, content hash
 * and a hash of the stored attributes.
 *
 * Golden state (the definition of "equal" in docs/guarantees.md), in sections:
 * - `golden`: every golden record by id: entity, status, merged into, split from, version, a hash
 *   of its attributes (with lineage);
 * - `cluster`: every active golden id -> the sorted source records (`source|entity|sourceId`) it holds;
 * - `xref`: every source record -> its golden id;
 * - `redirect`: every redirected id -> the id it points to, and why;
 * - `history`: every golden id -> its versions in order (status, change, members, attributes hash);
 * - `outbox`: every golden id -> its change events in outbox order (version, type, payload).
 */
import { createHash } from 'node:crypto';
import type { Database } from '../../../src/db/database';

export type Section = Map<string, string>;
export type State = Record<string, Section>;

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export const hashOf = (value: unknown) => createHash('sha256').update(canonicalJson(value)).digest('base64url').slice(0, 22);

/**
 * Golden attributes, history and events without `recordId` (the row id of a source record in one
 * database, assigned in arrival order): lineage names the record by source and sourceId as well.
 */
function withoutRowIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRowIds);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => k !== 'recordId').map(([k, v]) => [k, withoutRowIds(v)]));
  }
  return value;
}
const goldenHash = (value: unknown) => hashOf(withoutRowIds(value));

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
export const recordKey = (source: string, entity: string, sourceId: string) => `${source}|${entity}|${sourceId}`;

export interface SourceRecordState {
  /** Key -> { deleted, version, updatedAt, contentHash, attributes (hash) }. */
  records: Section;
  /** Keys stored more than once (the unique key should make this impossible). */
  duplicated: string[];
  /** Key -> attributes hash only, to compare with what a source holds. */
  attributes: Map<string, { deleted: boolean; attributes: string }>;
}

export async function sourceRecordState(database: Database, source?: string): Promise<SourceRecordState> {
  let q = database.db.selectFrom('source_record').select(['source', 'entity', 'source_id', 'deleted', 'version', 'updated_at', 'content_hash', 'attributes']);
  if (source) q = q.where('source', '=', source);
  const rows = await q.execute();
  const records: Section = new Map();
  const attributes = new Map<string, { deleted: boolean; attributes: string }>();
  const duplicated: string[] = [];
  for (const r of rows) {
    const key = recordKey(r.source, r.entity, r.source_id);
    if (records.has(key)) duplicated.push(key);
    const a = hashOf(r.attributes);
    records.set(key, canonicalJson({ deleted: r.deleted, version: r.version, updatedAt: iso(r.updated_at), contentHash: r.content_hash, attributes: a }));
    attributes.set(key, { deleted: r.deleted, attributes: a });
  }
  return { records, duplicated, attributes };
}

export async function goldenState(database: Database): Promise<State> {
  const { db } = database;
  const goldens = await db.selectFrom('golden_record').select(['id', 'entity', 'status', 'merged_into', 'split_from', 'version', 'attributes']).execute();
  const xrefs = await db.selectFrom('xref').select(['source', 'entity', 'source_id', 'golden_id']).execute();
  const redirects = await db.selectFrom('golden_redirect').select(['from_id', 'to_id', 'reason']).execute();
  const history = await db.selectFrom('golden_history').select(['golden_id', 'version', 'status', 'change', 'merged_into', 'members', 'attributes']).orderBy('golden_id').orderBy('version').execute();
  const outbox = await db.selectFrom('outbox').select(['golden_id', 'golden_version', 'event_type', 'payload']).orderBy('id').execute();

  const state: State = { golden: new Map(), cluster: new Map(), xref: new Map(), redirect: new Map(), history: new Map(), outbox: new Map() };
  for (const g of goldens) {
    state.golden.set(g.id, canonicalJson({ entity: g.entity, status: g.status, mergedInto: g.merged_into, splitFrom: g.split_from, version: g.version, attributes: goldenHash(g.attributes) }));
  }
  const members = new Map<string, string[]>();
  for (const x of xrefs) {
    const key = recordKey(x.source, x.entity, x.source_id);
    state.xref.set(key, x.golden_id);
    members.set(x.golden_id, [...(members.get(x.golden_id) ?? []), key]);
  }
  for (const [id, keys] of members) state.cluster.set(id, keys.sort().join(','));
  for (const r of redirects) state.redirect.set(r.from_id, `${r.to_id} (${r.reason})`);
  const appendTo = (section: Section, key: string, item: unknown) => {
    const list = section.get(key);
    section.set(key, list === undefined ? `[${canonicalJson(item)}` : `${list},${canonicalJson(item)}`);
  };
  for (const h of history) {
    appendTo(state.history, h.golden_id, { v: h.version, status: h.status, change: h.change, mergedInto: h.merged_into, members: [...(h.members ?? [])].sort(), attributes: goldenHash(h.attributes) });
  }
  for (const e of outbox) appendTo(state.outbox, e.golden_id, { v: e.golden_version, type: e.event_type, payload: goldenHash(e.payload) });
  for (const section of [state.history, state.outbox]) for (const [k, v] of section) section.set(k, `${v}]`);
  return state;
}

/** Clusters only, as sets of source records (no golden ids): what two resolutions agree on. */
export function clusterSets(state: State): Set<string> {
  return new Set(state.cluster.values());
}

export interface Difference {
  /** Keys (over all sections) missing, extra or different. */
  count: number;
  /** A few examples, for the report. */
  examples: string[];
}

/** Compares two states section by section; `expected` is the reference. */
export function compareStates(expected: State, actual: State, limit = 5): Difference {
  const out: Difference = { count: 0, examples: [] };
  const note = (text: string) => {
    out.count++;
    if (out.examples.length < limit) out.examples.push(text);
  };
  for (const name of Object.keys(expected)) {
    const e = expected[name];
    const a = actual[name] ?? new Map();
    for (const [k, v] of e) {
      const got = a.get(k);
      if (got === undefined) note(`${name} ${k}: missing`);
      else if (got !== v) note(`${name} ${k}: ${got.slice(0, 160)} instead of ${v.slice(0, 160)}`);
    }
    for (const k of a.keys()) if (!e.has(k)) note(`${name} ${k}: not in the reference`);
  }
  return out;
}

/** Compares two sets of clusters (each a sorted member list). */
export function compareClusters(expected: Set<string>, actual: Set<string>, limit = 5): Difference {
  const out: Difference = { count: 0, examples: [] };
  for (const c of expected) if (!actual.has(c)) (out.count++, out.examples.length < limit && out.examples.push(`cluster ${c.slice(0, 200)} missing`));
  for (const c of actual) if (!expected.has(c)) (out.count++, out.examples.length < limit && out.examples.push(`cluster ${c.slice(0, 200)} not in the reference`));
  return out;
}
