import type { CanonicalRecord } from '../core/entities';
import { type BulkSession, copyText } from '../db/bulk';
import type { Database } from '../db/database';

/** What storing one record did. */
export type StoreOutcome = 'inserted' | 'updated' | 'unchanged' | 'stale' | 'deleted';

export type StoreCounts = Record<StoreOutcome, number>;

export function emptyStoreCounts(): StoreCounts {
  return { inserted: 0, updated: 0, unchanged: 0, stale: 0, deleted: 0 };
}

export interface RecordToStore {
  record: CanonicalRecord;
  hash: string;
  /** The record's JSON text exactly as received, when there is one (a JSONL line): stored as is. */
  rawText?: string;
}

const STAGE_COLUMNS = ['ord', 'entity', 'source', 'source_id', 'updated_at', 'deleted', 'content_hash', 'attributes', 'raw'] as const;

const CREATE_STAGE = `
  CREATE TEMP TABLE IF NOT EXISTS ingest_stage (
    ord integer, entity text, source text, source_id text, updated_at timestamptz, deleted boolean,
    content_hash text, attributes jsonb, raw json
  ) ON COMMIT DELETE ROWS`;

// Classifies each staged record against the stored version, copies superseded versions to
// history, updates, inserts; all in one statement over one snapshot. The classification mirrors
// the ingest rules: unknown key -> inserted (or deleted when it arrives deleted); same content ->
// unchanged; an older updatedAt -> stale (never applied); otherwise the new version replaces the
// stored one. A row changed by a concurrent writer since our read is not touched (version guard)
// and comes back as not applied, to be stored again.
const UPSERT_TEMPLATE = `
  WITH cur AS (
    SELECT i.*, r.id AS rid, r.version AS r_version,
      CASE
        WHEN r.id IS NULL THEN CASE WHEN i.deleted THEN 'deleted' ELSE 'inserted' END
        WHEN r.content_hash = i.content_hash THEN 'unchanged'
        WHEN i.updated_at IS NOT NULL AND r.updated_at IS NOT NULL AND i.updated_at < r.updated_at THEN 'stale'
        WHEN i.deleted AND NOT r.deleted THEN 'deleted'
        ELSE 'updated'
      END AS outcome
    FROM {stage}
    LEFT JOIN source_record r ON r.entity = i.entity AND r.source = i.source AND r.source_id = i.source_id
  ),
  upd AS (
    UPDATE source_record r SET
      updated_at = c.updated_at, deleted = c.deleted, content_hash = c.content_hash,
      attributes = c.attributes, raw = c.raw, version = r.version + 1,
      change_seq = nextval('source_record_change_seq'), last_seen_at = now(), last_run_id = $1
    FROM cur c
    WHERE r.id = c.rid AND c.outcome IN ('updated', 'deleted') AND r.version = c.r_version
    RETURNING c.ord
  ),
  hist AS (
    INSERT INTO source_record_history
      (record_id, version, updated_at, deleted, content_hash, attributes, raw, run_id, valid_from)
    SELECT r.id, r.version, r.updated_at, r.deleted, r.content_hash, r.attributes, r.raw, r.last_run_id, r.last_seen_at
    FROM cur c JOIN upd ON upd.ord = c.ord JOIN source_record r ON r.id = c.rid
  ),
  ins AS (
    INSERT INTO source_record
      (entity, source, source_id, updated_at, deleted, content_hash, attributes, raw, first_run_id, last_run_id)
    SELECT entity, source, source_id, updated_at, deleted, content_hash, attributes, raw, $1, $1
    FROM cur WHERE rid IS NULL
    ON CONFLICT ON CONSTRAINT source_record_key DO NOTHING
    RETURNING entity, source, source_id
  ),
  fin AS (
    SELECT c.ord, c.outcome,
      CASE
        WHEN c.rid IS NULL THEN ins.source_id IS NOT NULL
        WHEN c.outcome IN ('updated', 'deleted') THEN upd.ord IS NOT NULL
        ELSE true
      END AS applied
    FROM cur c
    LEFT JOIN ins ON ins.entity = c.entity AND ins.source = c.source AND ins.source_id = c.source_id
    LEFT JOIN upd ON upd.ord = c.ord
  )
  SELECT outcome, applied, count(*)::int AS n, CASE WHEN NOT applied THEN array_agg(ord) END AS ords
  FROM fin GROUP BY outcome, applied`;

const UPSERT = UPSERT_TEMPLATE.replace('{stage}', 'ingest_stage i');

/**
 * Rounds at or under this size travel as one JSON parameter instead of through the staging table:
 * a transaction that touches no temporary table skips the truncation of the connection's ON COMMIT
 * DELETE ROWS tables at commit (file operations that dominate storing a handful of records).
 */
const INLINE_ROWS = 100;
const UPSERT_INLINE = UPSERT_TEMPLATE.replace(
  '{stage}',
  `json_to_recordset($2::json) AS i(ord integer, entity text, source text, source_id text, updated_at timestamptz,
    deleted boolean, content_hash text, attributes jsonb, raw json)`,
);

function keyOf(r: CanonicalRecord): string {
  return `${r.entity}\u0001${r.source}\u0001${r.sourceId}`;
}

/** Occurrence k of a key goes to round k, so each round has distinct keys and order is kept. */
function splitRounds(items: readonly RecordToStore[], indexes: readonly number[]): number[][] {
  const seen = new Map<string, number>();
  const rounds: number[][] = [];
  for (const i of indexes) {
    const key = keyOf(items[i].record);
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    (rounds[k] ??= []).push(i);
  }
  return rounds;
}

/** Stages one round of records with distinct keys and applies it; returns the indexes to retry. */
async function storeRound(
  session: BulkSession,
  items: readonly RecordToStore[],
  round: readonly number[],
  runId: string | null,
  counts: StoreCounts,
  transaction: { staged: boolean },
): Promise<number[]> {
  let result: Array<{ outcome: StoreOutcome; applied: boolean; n: number; ords: number[] | null }>;
  if (round.length <= INLINE_ROWS) {
    // The raw text is embedded as it came (it is JSON), so the stored payload keeps its form.
    const json = `[${round.map((i, ord) => {
      const { record, hash, rawText } = items[i];
      const fields = JSON.stringify({
        ord, entity: record.entity, source: record.source, source_id: record.sourceId, updated_at: record.updatedAt,
        deleted: record.deleted, content_hash: hash, attributes: record.attributes,
      });
      return `${fields.slice(0, -1)},"raw":${rawText ?? JSON.stringify(record.raw)}}`;
    }).join(',')}]`;
    result = await session.query(UPSERT_INLINE, [runId, json]);
  } else {
    const rows = round.map((i, ord) => {
      const { record, hash, rawText } = items[i];
      return [
        ord, record.entity, record.source, record.sourceId, record.updatedAt, record.deleted, hash,
        JSON.stringify(record.attributes), rawText ?? JSON.stringify(record.raw),
      ];
    });
    await session.query(CREATE_STAGE);
    // The staging table starts each transaction empty (ON COMMIT DELETE ROWS): only later rounds clear it.
    if (transaction.staged) await session.query('TRUNCATE ingest_stage');
    transaction.staged = true;
    await session.copy('ingest_stage', STAGE_COLUMNS, copyText(rows));
    result = await session.query(UPSERT, [runId]);
  }
  const retry: number[] = [];
  for (const row of result) {
    if (row.applied) counts[row.outcome] += row.n;
    else for (const ord of row.ords ?? []) retry.push(round[ord]);
  }
  return retry;
}

/**
 * Stores a batch of validated records in one transaction, applying them in input order: a key
 * that occurs several times in the batch is applied occurrence by occurrence, exactly as if the
 * records had arrived one after another. Returns how many records had each outcome.
 *
 * @example
 * ```ts
 * await storeRecords(database, [{ record, hash: contentHash(record) }], runId);
 * // { inserted: 1, updated: 0, unchanged: 0, stale: 0, deleted: 0 }
 * ```
 */
export async function storeRecords(
  database: Pick<Database, 'bulk'>,
  items: readonly RecordToStore[],
  runId: string | null,
): Promise<StoreCounts> {
  const counts = emptyStoreCounts();
  let pending = splitRounds(items, items.map((_, i) => i));
  for (let attempt = 0; pending.length > 0; attempt++) {
    const attemptCounts = emptyStoreCounts();
    const retry = await database.bulk(async (session) => {
      const again: number[] = [];
      const transaction = { staged: false };
      for (const round of pending) again.push(...(await storeRound(session, items, round, runId, attemptCounts, transaction)));
      return again;
    });
    for (const k of Object.keys(counts) as StoreOutcome[]) counts[k] += attemptCounts[k];
    if (retry.length === 0) break;
    if (attempt >= 5) throw new Error(`could not store ${retry.length} records after repeated concurrent changes`);
    // A concurrent writer changed these keys between our read and our write: apply them again.
    pending = splitRounds(items, retry.sort((a, b) => a - b));
  }
  return counts;
}
