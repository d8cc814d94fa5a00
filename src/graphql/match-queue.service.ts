import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database';
import type { DB } from '../db/schema';
import { markNotAMatch, mergeGoldenRecords, type StewardActor, type StewardResult } from '../golden-record/steward.service';

/** A pair id as the database has them (bigint): anything else is not found, never a query error. */
const PAIR_ID = /^\d{1,18}$/;

/**
 * The steward match queue (match_pair): reading it a page at a time, and working it — defer a
 * pair, or decide it (merge / not a match) through the steward service.
 *
 * @example
 * ```ts
 * const page = await pageMatchQueue(db, { entity: 'customer', statuses: ['pending'], limit: 20 });
 * const r = await decidePair(database, page[0].id, 'merge', { actor: 'anna (api key 7)', reason: 'same VAT id' });
 * ```
 */
export interface MatchPairRow {
  id: string;
  entity: string;
  leftRecordId: string;
  rightRecordId: string;
  weight: number;
  probability: number;
  blockingRule: string | null;
  reason: string;
  explanation: unknown[];
  status: string;
  priority: number;
  createdAt: Date;
  updatedAt: Date;
}

export const PAIR_STATUSES = ['pending', 'deferred', 'merged', 'rejected', 'obsolete'] as const;
export type PairStatus = (typeof PAIR_STATUSES)[number];

type PairColumns = {
  id: string; entity: string; left_record_id: string; right_record_id: string; weight: number; probability: number;
  blocking_rule: string | null; reason: string; explanation: unknown[]; status: string; priority: number;
  created_at: Date | string; updated_at: Date | string;
};

export function toPair(r: PairColumns): MatchPairRow {
  return {
    id: String(r.id),
    entity: r.entity,
    leftRecordId: String(r.left_record_id),
    rightRecordId: String(r.right_record_id),
    weight: r.weight,
    probability: r.probability,
    blockingRule: r.blocking_rule,
    reason: r.reason,
    explanation: r.explanation ?? [],
    status: r.status,
    priority: r.priority,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

const PAIR_SELECT = [
  'm.id', 'm.entity', 'm.left_record_id', 'm.right_record_id', 'm.weight', 'm.probability', 'm.blocking_rule', 'm.reason',
  'm.explanation', 'm.status', 'm.priority', 'm.created_at', 'm.updated_at',
] as const;

export interface QueuePageOptions {
  entity?: string | null;
  /** Pairs with at least one record of this source. */
  source?: string | null;
  minProbability?: number | null;
  maxProbability?: number | null;
  statuses: readonly string[];
  /** Keyset position: pairs after this one in queue order (priority descending, then id). */
  after?: { priority: number; id: string };
  limit: number;
}

/** One page of the queue: highest priority (most uncertain) first, then oldest id. */
export async function pageMatchQueue(db: Kysely<DB>, options: QueuePageOptions): Promise<MatchPairRow[]> {
  let q = db.selectFrom('match_pair as m').select([...PAIR_SELECT]).where('m.status', 'in', [...options.statuses]);
  if (options.entity) q = q.where('m.entity', '=', options.entity);
  if (options.minProbability !== null && options.minProbability !== undefined) q = q.where('m.probability', '>=', options.minProbability);
  if (options.maxProbability !== null && options.maxProbability !== undefined) q = q.where('m.probability', '<=', options.maxProbability);
  if (options.source) {
    const source = options.source;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('source_record as s')
          .select('s.id')
          .where('s.source', '=', source)
          .where((e) => e.or([e('s.id', '=', e.ref('m.left_record_id')), e('s.id', '=', e.ref('m.right_record_id'))])),
      ),
    );
  }
  if (options.after) {
    const { priority, id } = options.after;
    q = q.where((eb) => eb.or([eb('m.priority', '<', priority), eb.and([eb('m.priority', '=', priority), eb('m.id', '>', id)])]));
  }
  const rows = await q.orderBy('m.priority', 'desc').orderBy('m.id').limit(options.limit).execute();
  return rows.map((r) => toPair(r as PairColumns));
}

export async function pairsByIds(db: Kysely<DB>, ids: readonly string[]): Promise<MatchPairRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('match_pair as m').select([...PAIR_SELECT]).where('m.id', 'in', [...ids]).execute();
  return rows.map((r) => toPair(r as PairColumns));
}

/**
 * A position in the queue's change order. `at` is PostgreSQL's text of `updated_at` (microseconds
 * kept: a JavaScript Date would round them away and deliver a change again).
 */
export interface QueueWatermark {
  at: string;
  id: string;
}

/** Pairs changed after a watermark (updated_at, id), oldest change first: the queue's change feed. */
export async function pairsChangedSince(
  db: Kysely<DB>,
  since: QueueWatermark,
  entity?: string | null,
  limit = 500,
): Promise<{ rows: MatchPairRow[]; next: QueueWatermark }> {
  const rows = await sql<PairColumns & { updated_text: string }>`
    SELECT m.id, m.entity, m.left_record_id, m.right_record_id, m.weight, m.probability, m.blocking_rule, m.reason,
      m.explanation, m.status, m.priority, m.created_at, m.updated_at, m.updated_at::text AS updated_text
    FROM match_pair m
    WHERE (m.updated_at, m.id) > (${since.at}::timestamptz, ${since.id}::bigint)
    ORDER BY m.updated_at, m.id
    LIMIT ${limit}`.execute(db);
  const last = rows.rows.at(-1);
  const next = last ? { at: last.updated_text, id: String(last.id) } : since;
  return { rows: rows.rows.filter((r) => !entity || r.entity === entity).map(toPair), next };
}

/** The newest change of the queue (the starting watermark of a feed). */
export async function queueWatermark(db: Kysely<DB>): Promise<QueueWatermark> {
  const row = await sql<{ at: string; id: string }>`
    SELECT updated_at::text AS at, id::text AS id FROM match_pair ORDER BY updated_at DESC, id DESC LIMIT 1`.execute(db);
  return row.rows[0] ?? { at: '-infinity', id: '0' };
}

async function goldenOf(db: Kysely<DB>, recordIds: string[]): Promise<Map<string, string>> {
  const rows = await db.selectFrom('xref').select(['record_id', 'golden_id']).where('record_id', 'in', recordIds).execute();
  return new Map(rows.map((r) => [String(r.record_id), r.golden_id]));
}

const OPEN = ['pending', 'deferred'];

/**
 * Defers a pair: it leaves the pending queue until resolution proposes it again or a steward
 * decides it. Audited (steward_audit action `defer`).
 */
export async function deferPair(database: Database, pairId: string, who: StewardActor): Promise<StewardResult<{ pair: MatchPairRow }>> {
  if (!PAIR_ID.test(pairId)) return { kind: 'notFound', message: `match pair ${JSON.stringify(pairId.slice(0, 40))} does not exist (pair ids are numbers)` };
  return database.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('match_pair as m').select([...PAIR_SELECT]).where('m.id', '=', pairId).forUpdate().executeTakeFirst();
    if (!row) return { kind: 'notFound', message: `match pair ${pairId} does not exist` };
    const pair = toPair(row as PairColumns);
    if (!OPEN.includes(pair.status)) return { kind: 'invalid', message: `match pair ${pairId} is ${pair.status}; only pending pairs can be deferred` };
    const updated = await trx
      .updateTable('match_pair')
      .set({ status: 'deferred', updated_at: new Date() })
      .where('id', '=', pairId)
      .returning(['id', 'entity', 'left_record_id', 'right_record_id', 'weight', 'probability', 'blocking_rule', 'reason', 'explanation', 'status', 'priority', 'created_at', 'updated_at'])
      .executeTakeFirstOrThrow();
    const goldens = await goldenOf(trx, [pair.leftRecordId, pair.rightRecordId]);
    await trx
      .insertInto('steward_audit')
      .values({
        action: 'defer', entity: pair.entity, golden_ids: [...new Set(goldens.values())], actor: who.actor, reason: who.reason ?? null,
        before: JSON.stringify({ pairId, status: pair.status }) as never, after: JSON.stringify({ pairId, status: 'deferred' }) as never,
      })
      .execute();
    return { kind: 'success', pair: toPair(updated as PairColumns) };
  });
}

export type PairDecision = 'merge' | 'notAMatch';

/**
 * Decides a queued pair: merge the golden records of its two source records, or mark them not a
 * match (cannot-link), through the steward service; the pair is closed (merged / rejected).
 */
export async function decidePair(
  database: Database,
  pairId: string,
  decision: PairDecision,
  who: StewardActor,
): Promise<StewardResult<{ pair: MatchPairRow; goldenIds: string[] }>> {
  if (!PAIR_ID.test(pairId)) return { kind: 'notFound', message: `match pair ${JSON.stringify(pairId.slice(0, 40))} does not exist (pair ids are numbers)` };
  const [pair] = await pairsByIds(database.db, [pairId]);
  if (!pair) return { kind: 'notFound', message: `match pair ${pairId} does not exist` };
  if (!OPEN.includes(pair.status)) return { kind: 'invalid', message: `match pair ${pairId} is already ${pair.status}` };
  const goldens = await goldenOf(database.db, [pair.leftRecordId, pair.rightRecordId]);
  const left = goldens.get(pair.leftRecordId);
  const right = goldens.get(pair.rightRecordId);
  if (!left || !right) return { kind: 'notFound', message: `a source record of match pair ${pairId} is no longer attached to a golden record` };
  let goldenIds: string[];
  if (decision === 'merge') {
    if (left === right) {
      goldenIds = [left];
    } else {
      const merged = await mergeGoldenRecords(database, [left, right], who);
      if (merged.kind !== 'success') return merged;
      goldenIds = [merged.goldenId];
    }
  } else {
    if (left === right) {
      return { kind: 'invalid', message: `both records of match pair ${pairId} are already in golden record ${left}; use split to separate them` };
    }
    const marked = await markNotAMatch(database, [left, right], who);
    if (marked.kind !== 'success') return marked;
    goldenIds = marked.goldenIds;
  }
  const status = decision === 'merge' ? 'merged' : 'rejected';
  await database.db.updateTable('match_pair').set({ status, updated_at: new Date() }).where('id', '=', pairId).execute();
  const [closed] = await pairsByIds(database.db, [pairId]);
  return { kind: 'success', pair: closed, goldenIds };
}
