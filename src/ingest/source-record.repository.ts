import { type Kysely, sql, type Transaction } from 'kysely';
import type { CanonicalRecord } from '../core/entities';
import type { DB } from '../db/schema';

/** What storing one record did. */
export type StoreOutcome = 'inserted' | 'updated' | 'unchanged' | 'stale' | 'deleted';

export interface StoreCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  deleted: number;
}

export function emptyStoreCounts(): StoreCounts {
  return { inserted: 0, updated: 0, unchanged: 0, stale: 0, deleted: 0 };
}

export interface RecordToStore {
  record: CanonicalRecord;
  hash: string;
}

function keyOf(r: CanonicalRecord): string {
  return `${r.entity}\u0001${r.source}\u0001${r.sourceId}`;
}

/**
 * Stores one round of records whose keys are distinct, in one statement: classify each against
 * the stored version, copy superseded versions to history, update, insert. Returns the outcome
 * per input index; `retry` marks records that lost a race with a concurrent writer.
 */
async function storeRound(
  trx: Transaction<DB>,
  items: RecordToStore[],
  runId: string | null,
): Promise<Array<StoreOutcome | 'retry'>> {
  const n = items.length;
  const entity = new Array<string>(n);
  const source = new Array<string>(n);
  const sourceId = new Array<string>(n);
  const updatedAt = new Array<string | null>(n);
  const deleted = new Array<boolean>(n);
  const hash = new Array<string>(n);
  const attributes = new Array<string>(n);
  const raw = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const { record, hash: h } = items[i];
    entity[i] = record.entity;
    source[i] = record.source;
    sourceId[i] = record.sourceId;
    updatedAt[i] = record.updatedAt;
    deleted[i] = record.deleted;
    hash[i] = h;
    attributes[i] = JSON.stringify(record.attributes);
    raw[i] = JSON.stringify(record.raw);
  }
  // The classification mirrors the ingest rules: unknown key -> inserted (or deleted when it
  // arrives deleted); same content -> unchanged; an older updatedAt -> stale (never applied);
  // otherwise the new version replaces the stored one and the old one goes to history.
  const result = await sql<{ ord: number; outcome: string; applied: boolean }>`
    WITH input AS (
      SELECT * FROM unnest(
        ${entity}::text[], ${source}::text[], ${sourceId}::text[], ${updatedAt}::timestamptz[],
        ${deleted}::boolean[], ${hash}::text[], ${attributes}::jsonb[], ${raw}::jsonb[]
      ) WITH ORDINALITY AS t(entity, source, source_id, updated_at, deleted, content_hash, attributes, raw, ord)
    ),
    cur AS (
      SELECT i.*, r.id AS rid, r.version AS r_version,
        CASE
          WHEN r.id IS NULL THEN CASE WHEN i.deleted THEN 'deleted' ELSE 'inserted' END
          WHEN r.content_hash = i.content_hash THEN 'unchanged'
          WHEN i.updated_at IS NOT NULL AND r.updated_at IS NOT NULL AND i.updated_at < r.updated_at THEN 'stale'
          WHEN i.deleted AND NOT r.deleted THEN 'deleted'
          ELSE 'updated'
        END AS outcome
      FROM input i
      LEFT JOIN source_record r ON r.entity = i.entity AND r.source = i.source AND r.source_id = i.source_id
    ),
    upd AS (
      UPDATE source_record r SET
        updated_at = c.updated_at, deleted = c.deleted, content_hash = c.content_hash,
        attributes = c.attributes, raw = c.raw, version = r.version + 1,
        change_seq = nextval('source_record_change_seq'), last_seen_at = now(), last_run_id = ${runId}
      FROM cur c
      WHERE r.id = c.rid AND c.outcome IN ('updated', 'deleted') AND r.version = c.r_version
      RETURNING c.ord
    ),
    hist AS (
      INSERT INTO source_record_history
        (record_id, version, updated_at, deleted, content_hash, attributes, raw, run_id, valid_from)
      SELECT r.id, r.version, r.updated_at, r.deleted, r.content_hash, r.attributes, r.raw, r.last_run_id, r.last_seen_at
      FROM cur c JOIN source_record r ON r.id = c.rid
      JOIN upd ON upd.ord = c.ord
    ),
    ins AS (
      INSERT INTO source_record
        (entity, source, source_id, updated_at, deleted, content_hash, attributes, raw, first_run_id, last_run_id)
      SELECT entity, source, source_id, updated_at, deleted, content_hash, attributes, raw, ${runId}, ${runId}
      FROM cur WHERE rid IS NULL
      ON CONFLICT ON CONSTRAINT source_record_key DO NOTHING
      RETURNING entity, source, source_id
    )
    SELECT c.ord::int AS ord, c.outcome,
      CASE
        WHEN c.rid IS NULL THEN ins.source_id IS NOT NULL
        WHEN c.outcome IN ('updated', 'deleted') THEN upd.ord IS NOT NULL
        ELSE true
      END AS applied
    FROM cur c
    LEFT JOIN ins ON ins.entity = c.entity AND ins.source = c.source AND ins.source_id = c.source_id
    LEFT JOIN upd ON upd.ord = c.ord
  `.execute(trx);
  const outcomes = new Array<StoreOutcome | 'retry'>(n);
  for (const row of result.rows) {
    outcomes[row.ord - 1] = row.applied ? (row.outcome as StoreOutcome) : 'retry';
  }
  return outcomes;
}

/**
 * Stores a batch of validated records in one transaction, applying them in input order:
 * a key that occurs several times in the batch is applied occurrence by occurrence, exactly as
 * if the records had arrived one after another.
 *
 * @example
 * ```ts
 * const outcomes = await storeRecords(db, [{ record, hash: contentHash(record) }], runId);
 * // ['inserted']
 * ```
 */
export async function storeRecords(
  db: Kysely<DB>,
  items: RecordToStore[],
  runId: string | null,
): Promise<StoreOutcome[]> {
  const outcomes = new Array<StoreOutcome>(items.length);
  // Split into rounds of distinct keys: occurrence k of a key goes to round k.
  const seen = new Map<string, number>();
  const rounds: number[][] = [];
  for (let i = 0; i < items.length; i++) {
    const key = keyOf(items[i].record);
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    (rounds[k] ??= []).push(i);
  }
  let pending = rounds;
  for (let attempt = 0; pending.length > 0; attempt++) {
    const retry: number[] = [];
    await db.transaction().execute(async (trx) => {
      for (const round of pending) {
        const result = await storeRound(trx, round.map((i) => items[i]), runId);
        for (let j = 0; j < round.length; j++) {
          const outcome = result[j];
          if (outcome === 'retry') retry.push(round[j]);
          else outcomes[round[j]] = outcome;
        }
      }
    });
    if (retry.length === 0) break;
    if (attempt >= 5) throw new Error(`could not store ${retry.length} records after repeated concurrent changes`);
    // A concurrent writer changed these keys between our read and write: apply them again.
    pending = [retry];
  }
  return outcomes;
}
