import { sql, type Transaction } from 'kysely';
import type { EntityType } from '../core/entities';
import type { Database } from '../db/database';
import type { DB } from '../db/schema';
import { withEntityLock } from './entity-lock';
import { referrersOf, resolveRecordsNow } from './realtime-resolve';
import { RESOLUTION_ORDER } from './resolve.service';

/** Who acts, and why; every steward action is audited with it. */
export interface StewardActor {
  actor: string;
  reason?: string;
  /** The request's correlation id: the change events of the action carry it. */
  correlationId?: string | null;
}

/** The outcome of a steward action, mapped once at the edge (GraphQL union, HTTP status, CLI exit). */
export type StewardResult<T extends object = object> =
  | ({ kind: 'success' } & T)
  | { kind: 'conflict'; message: string; goldenId: string; expectedVersion: number; currentVersion: number }
  | { kind: 'notFound'; message: string }
  | { kind: 'invalid'; message: string };

interface GoldenRow {
  id: string;
  entity: string;
  status: string;
  version: number;
  locked: boolean;
}

class Refusal extends Error {
  constructor(readonly result: Exclude<StewardResult, { kind: 'success' }>) {
    super(result.message);
  }
}

/** Locks the golden records (in id order, so concurrent actions never deadlock) and checks their versions. */
async function lockGoldens(trx: Transaction<DB>, ids: readonly string[], expected: Readonly<Record<string, number>> = {}): Promise<GoldenRow[]> {
  const rows = await trx
    .selectFrom('golden_record')
    .select(['id', 'entity', 'status', 'version', 'locked'])
    .where('id', 'in', [...new Set(ids)].sort())
    .orderBy('id')
    .forUpdate()
    .execute();
  for (const id of ids) {
    const row = rows.find((r) => r.id === id);
    if (!row) throw new Refusal({ kind: 'notFound', message: `golden record ${id} does not exist` });
    if (row.status !== 'active') {
      throw new Refusal({ kind: 'conflict', message: `golden record ${id} is ${row.status}; act on the record it now belongs to`, goldenId: id, expectedVersion: expected[id] ?? row.version, currentVersion: row.version });
    }
    const want = expected[id];
    if (want !== undefined && want !== row.version) {
      throw new Refusal({ kind: 'conflict', message: `golden record ${id} changed meanwhile (version ${row.version}, you saw ${want}); reload it and try again`, goldenId: id, expectedVersion: want, currentVersion: row.version });
    }
  }
  const entities = new Set(rows.map((r) => r.entity));
  if (entities.size > 1) throw new Refusal({ kind: 'invalid', message: `golden records of different entity types (${[...entities].join(', ')}) cannot be combined` });
  return rows;
}

/**
 * A steward action is a change of the golden records it touches: their version moves in the
 * action's transaction (with a history row), so a concurrent action that saw the old version is
 * refused as a conflict rather than applied over it.
 */
async function bumpVersions(trx: Transaction<DB>, rows: GoldenRow[], action: string): Promise<void> {
  for (const row of rows) {
    await trx.updateTable('golden_record').set({ version: row.version + 1, updated_at: new Date() }).where('id', '=', row.id).execute();
    await trx.updateTable('golden_history').set({ valid_to: new Date() }).where('golden_id', '=', row.id).where('valid_to', 'is', null).execute();
    await sql`INSERT INTO golden_history (golden_id, version, entity, status, merged_into, attributes, members, change)
      SELECT g.id, g.version, g.entity, g.status, g.merged_into, g.attributes,
        COALESCE((SELECT jsonb_agg(x.source || '|' || x.source_id ORDER BY x.source, x.source_id) FROM xref x WHERE x.golden_id = g.id), '[]'::jsonb),
        ${`steward:${action}`}
      FROM golden_record g WHERE g.id = ${row.id}`.execute(trx);
  }
}

async function membersOf(trx: Transaction<DB>, goldenId: string): Promise<string[]> {
  const rows = await trx.selectFrom('xref').select('record_id').where('golden_id', '=', goldenId).orderBy('record_id').execute();
  return rows.map((r) => r.record_id);
}

function ordered(a: string, b: string): [string, string] {
  return BigInt(a) < BigInt(b) ? [a, b] : [b, a];
}

async function decide(trx: Transaction<DB>, entity: string, kind: 'must-link' | 'cannot-link', a: string, b: string, who: StewardActor) {
  const [left, right] = ordered(a, b);
  // A new decision on a pair replaces an older one on the same pair.
  await trx.updateTable('steward_decision').set({ active: false }).where('left_record_id', '=', left).where('right_record_id', '=', right).where('active', '=', true).execute();
  await trx.insertInto('steward_decision').values({ entity, kind, left_record_id: left, right_record_id: right, actor: who.actor, reason: who.reason ?? null }).execute();
}

async function audit(trx: Transaction<DB>, action: string, entity: string, goldenIds: string[], who: StewardActor, before: unknown, after: unknown) {
  const rows = await trx.selectFrom('golden_record').select(['id', 'entity', 'status', 'version', 'locked']).where('id', 'in', goldenIds).where('status', '=', 'active').execute();
  await bumpVersions(trx, rows, action);
  await trx
    .insertInto('steward_audit')
    .values({ action, entity, golden_ids: goldenIds, actor: who.actor, reason: who.reason ?? null, before: JSON.stringify(before) as never, after: JSON.stringify(after) as never })
    .execute();
}

/**
 * Runs a steward action: checks and decision in one transaction, then the records of the golden
 * records it touched are resolved again (real-time resolution of their neighbourhood), so the
 * decision takes effect at once without clustering the whole entity type; records of later types
 * that refer to records that changed golden record follow. The transaction and that first
 * resolution hold the entity type's resolution lock (the lock every hub process takes to resolve):
 * a resolution in another process never reads a golden record's version before the action and
 * writes after it.
 */
async function act<T extends object>(
  database: Database,
  who: StewardActor,
  goldenIds: readonly string[],
  body: (trx: Transaction<DB>) => Promise<{ entity: EntityType; value: T; records: string[] }>,
): Promise<StewardResult<T>> {
  const correlationOf = () => who.correlationId ?? null;
  const known = goldenIds.length === 0 ? undefined : await database.db.selectFrom('golden_record').select('entity').where('id', 'in', [...goldenIds]).executeTakeFirst();
  let outcome!: { entity: EntityType; value: T; records: string[] };
  let moved: string[] = [];
  const apply = async (locked: string | undefined) => {
    outcome = await database.db.transaction().execute(body);
    const resolveNow = () => resolveRecordsNow(database, outcome.entity, outcome.records, { correlationOf });
    moved = (locked === outcome.entity ? await resolveNow() : await withEntityLock(database, outcome.entity, resolveNow)).movedRecords;
  };
  try {
    // An unknown golden id: the action refuses it (NotFound) before it changes anything.
    if (known) await withEntityLock(database, known.entity, () => apply(known.entity));
    else await apply(undefined);
  } catch (error) {
    if (error instanceof Refusal) return error.result as StewardResult<T>;
    throw error;
  }
  const pending = new Map<EntityType, string[]>();
  const follow = async (entity: EntityType, records: string[]) => {
    for (const [referrer, list] of await referrersOf(database, entity, records)) {
      pending.set(referrer, [...new Set([...(pending.get(referrer) ?? []), ...list])]);
    }
  };
  await follow(outcome.entity, moved);
  for (const entity of RESOLUTION_ORDER) {
    const ids = pending.get(entity);
    if (!ids || ids.length === 0 || entity === outcome.entity) continue;
    const result = await withEntityLock(database, entity, () => resolveRecordsNow(database, entity, ids, { correlationOf }));
    await follow(entity, result.movedRecords);
  }
  return { kind: 'success', ...outcome.value };
}

async function goldenOfRecord(database: Database, recordId: string): Promise<string | null> {
  // Record ids are bigints: another text is no record (and no query error).
  if (!/^\d{1,18}$/.test(recordId)) return null;
  const row = await database.db.selectFrom('xref').select('golden_id').where('record_id', '=', recordId).executeTakeFirst();
  return row?.golden_id ?? null;
}

/**
 * Merges golden records: a must-link between them that every later resolution respects. The
 * oldest golden id survives; the others redirect to it.
 *
 * @example
 * ```ts
 * const r = await mergeGoldenRecords(database, ['G-A', 'G-B'], { actor: 'anna', reason: 'same VAT' });
 * if (r.kind === 'success') r.goldenId; // the survivor
 * ```
 */
export async function mergeGoldenRecords(
  database: Database,
  goldenIds: string[],
  who: StewardActor,
  expectedVersions: Record<string, number> = {},
): Promise<StewardResult<{ goldenId: string }>> {
  if (new Set(goldenIds).size < 2) return { kind: 'invalid', message: 'a merge needs at least two different golden records' };
  let anchor = '';
  const result = await act(database, who, goldenIds, async (trx) => {
    const rows = await lockGoldens(trx, goldenIds, expectedVersions);
    const locked = rows.find((r) => r.locked);
    if (locked) throw new Refusal({ kind: 'conflict', message: `golden record ${locked.id} is locked; unlock it first`, goldenId: locked.id, expectedVersion: locked.version, currentVersion: locked.version });
    // Every member of every golden record is tied to one anchor, so the whole records merge (and
    // stay merged) whatever automatic matching later says about any single pair.
    const members = await Promise.all(goldenIds.map((id) => membersOf(trx, id)));
    if (members.some((m) => m.length === 0)) throw new Refusal({ kind: 'invalid', message: 'a golden record without source records cannot be merged' });
    const firsts = members.map((m) => m[0]);
    anchor = firsts[0];
    for (const record of members.flat()) if (record !== anchor) await decide(trx, rows[0].entity, 'must-link', anchor, record, who);
    await audit(trx, 'merge', rows[0].entity, goldenIds, who, { goldenIds, versions: rows.map((r) => [r.id, r.version]) }, { mustLink: firsts });
    return { entity: rows[0].entity as EntityType, value: {}, records: members.flat() };
  });
  if (result.kind !== 'success') return result;
  return { kind: 'success', goldenId: (await goldenOfRecord(database, anchor))! };
}

/** Not a match: the golden records stay apart in every later resolution (cannot-link), and their queued pairs are closed. */
export async function markNotAMatch(database: Database, goldenIds: [string, string], who: StewardActor, expectedVersions: Record<string, number> = {}): Promise<StewardResult<{ goldenIds: string[] }>> {
  if (goldenIds[0] === goldenIds[1]) return { kind: 'invalid', message: 'not-a-match needs two different golden records (use split to separate records of one golden record)' };
  return act(database, who, goldenIds, async (trx) => {
    const rows = await lockGoldens(trx, goldenIds, expectedVersions);
    const [a, b] = await Promise.all(goldenIds.map((id) => membersOf(trx, id)));
    if (a.length === 0 || b.length === 0) throw new Refusal({ kind: 'invalid', message: 'a golden record without source records cannot be marked' });
    for (const x of a) for (const y of b) await decide(trx, rows[0].entity, 'cannot-link', x, y, who);
    await trx
      .updateTable('match_pair')
      .set({ status: 'rejected', updated_at: new Date() })
      .where((eb) => eb.or([
        eb.and([eb('left_record_id', 'in', a), eb('right_record_id', 'in', b)]),
        eb.and([eb('left_record_id', 'in', b), eb('right_record_id', 'in', a)]),
      ]))
      .execute();
    await audit(trx, 'not-a-match', rows[0].entity, goldenIds, who, { goldenIds }, null);
    return { entity: rows[0].entity as EntityType, value: { goldenIds }, records: [...a, ...b] };
  });
}

/** Splits source records out of a golden record: they form one new golden record that records where it came from. */
export async function splitGoldenRecord(database: Database, goldenId: string, recordIds: string[], who: StewardActor, expectedVersion?: number): Promise<StewardResult<{ goldenId: string; newGoldenId: string }>> {
  let remaining = '';
  const result = await act(database, who, [goldenId], async (trx) => {
    const rows = await lockGoldens(trx, [goldenId], expectedVersion === undefined ? {} : { [goldenId]: expectedVersion });
    const members = await membersOf(trx, goldenId);
    const out = recordIds.filter((r) => members.includes(r));
    if (out.length !== recordIds.length) throw new Refusal({ kind: 'invalid', message: `records ${recordIds.filter((r) => !members.includes(r)).join(', ')} are not in golden record ${goldenId}` });
    const stay = members.filter((m) => !out.includes(m));
    if (out.length === 0 || stay.length === 0) throw new Refusal({ kind: 'invalid', message: 'a split must leave at least one record on each side' });
    remaining = stay[0];
    for (const x of out) for (const y of stay) await decide(trx, rows[0].entity, 'cannot-link', x, y, who);
    for (const x of out.slice(1)) await decide(trx, rows[0].entity, 'must-link', out[0], x, who);
    await audit(trx, 'split', rows[0].entity, [goldenId], who, { members }, { splitOut: out });
    return { entity: rows[0].entity as EntityType, value: {}, records: members };
  });
  if (result.kind !== 'success') return result;
  return { kind: 'success', goldenId: (await goldenOfRecord(database, remaining))!, newGoldenId: (await goldenOfRecord(database, recordIds[0]))! };
}

/** Moves one source record to another golden record. */
export async function moveRecord(database: Database, recordId: string, toGoldenId: string, who: StewardActor, expectedVersion?: number): Promise<StewardResult<{ goldenId: string }>> {
  const from = await goldenOfRecord(database, recordId);
  if (from === null) return { kind: 'notFound', message: `source record ${JSON.stringify(recordId.slice(0, 40))} is not attached to a golden record` };
  if (from === toGoldenId) return { kind: 'invalid', message: `source record ${recordId} is already in ${toGoldenId}` };
  const result = await act(database, who, [from, toGoldenId], async (trx) => {
    const rows = await lockGoldens(trx, [from, toGoldenId], expectedVersion === undefined ? {} : { [toGoldenId]: expectedVersion });
    const target = await membersOf(trx, toGoldenId);
    const stay = (await membersOf(trx, from)).filter((m) => m !== recordId);
    if (target.length === 0) throw new Refusal({ kind: 'invalid', message: `golden record ${toGoldenId} has no source records` });
    for (const y of stay) await decide(trx, rows[0].entity, 'cannot-link', recordId, y, who);
    await decide(trx, rows[0].entity, 'must-link', recordId, target[0], who);
    await audit(trx, 'move', rows[0].entity, [from, toGoldenId], who, { recordId, goldenId: from }, { recordId, goldenId: toGoldenId });
    return { entity: rows[0].entity as EntityType, value: {}, records: [recordId, ...stay, ...target] };
  });
  if (result.kind !== 'success') return result;
  return { kind: 'success', goldenId: (await goldenOfRecord(database, recordId))! };
}

/** Pins an attribute to a source record's value, or overrides it with a typed value; always wins over survivorship. */
export async function pinAttribute(
  database: Database,
  goldenId: string,
  attribute: string,
  choice: { recordId: string } | { value: unknown },
  who: StewardActor,
  expectedVersion?: number,
): Promise<StewardResult<{ goldenId: string }>> {
  return act(database, who, [goldenId], async (trx) => {
    const rows = await lockGoldens(trx, [goldenId], expectedVersion === undefined ? {} : { [goldenId]: expectedVersion });
    if ('recordId' in choice && !(await membersOf(trx, goldenId)).includes(choice.recordId)) {
      throw new Refusal({ kind: 'invalid', message: `record ${choice.recordId} is not in golden record ${goldenId}` });
    }
    await trx.updateTable('golden_pin').set({ active: false }).where('golden_id', '=', goldenId).where('attribute', '=', attribute).execute();
    await trx
      .insertInto('golden_pin')
      .values({
        golden_id: goldenId, attribute, actor: who.actor, reason: who.reason ?? null,
        kind: 'recordId' in choice ? 'pin' : 'override',
        record_id: 'recordId' in choice ? choice.recordId : null,
        value: 'value' in choice ? (JSON.stringify(choice.value) as never) : null,
      })
      .execute();
    await touchGolden(trx, goldenId);
    await audit(trx, 'recordId' in choice ? 'pin' : 'override', rows[0].entity, [goldenId], who, null, { attribute, ...choice });
    return { entity: rows[0].entity as EntityType, value: { goldenId }, records: await membersOf(trx, goldenId) };
  });
}

/** Locks a golden record against automatic change (or unlocks it): resolution leaves its membership alone. */
export async function setLocked(database: Database, goldenId: string, locked: boolean, who: StewardActor, expectedVersion?: number): Promise<StewardResult<{ goldenId: string; locked: boolean }>> {
  return act(database, who, [goldenId], async (trx) => {
    const rows = await lockGoldens(trx, [goldenId], expectedVersion === undefined ? {} : { [goldenId]: expectedVersion });
    await trx.updateTable('golden_record').set({ locked }).where('id', '=', goldenId).execute();
    await audit(trx, locked ? 'lock' : 'unlock', rows[0].entity, [goldenId], who, { locked: rows[0].locked }, { locked });
    return { entity: rows[0].entity as EntityType, value: { goldenId, locked }, records: await membersOf(trx, goldenId) };
  });
}

/**
 * Marks a golden record's members as changed so the next resolution recomputes its attributes
 * (a pin or override changes the golden record without changing any source record).
 */
async function touchGolden(trx: Transaction<DB>, goldenId: string): Promise<void> {
  await sql`UPDATE source_record SET change_seq = nextval('source_record_change_seq')
    WHERE id = (SELECT record_id FROM xref WHERE golden_id = ${goldenId} ORDER BY record_id LIMIT 1)`.execute(trx);
}
