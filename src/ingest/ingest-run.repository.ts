import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { StoreCounts } from './source-record.repository';

export interface RunCounts extends StoreCounts {
  read: number;
  quarantined: number;
}

export interface StartRun {
  kind: 'file' | 'sync' | 'event';
  source?: string | null;
  entity?: string | null;
  file?: string | null;
  mode?: string | null;
}

/** Records the start of an ingest run and returns its id. */
export async function startRun(db: Kysely<DB>, run: StartRun): Promise<string> {
  const row = await db
    .insertInto('ingest_run')
    .values({
      kind: run.kind,
      source: run.source ?? null,
      entity: run.entity ?? null,
      file: run.file ?? null,
      mode: run.mode ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Writes the counts so far (runs report progress while they go). */
export async function updateRunCounts(db: Kysely<DB>, id: string, counts: RunCounts): Promise<void> {
  await db
    .updateTable('ingest_run')
    .set({
      read_count: counts.read,
      inserted_count: counts.inserted,
      updated_count: counts.updated,
      unchanged_count: counts.unchanged,
      stale_count: counts.stale,
      deleted_count: counts.deleted,
      quarantined_count: counts.quarantined,
    })
    .where('id', '=', id)
    .execute();
}

/** Closes a run with its final counts and status. */
export async function finishRun(
  db: Kysely<DB>,
  id: string,
  counts: RunCounts,
  status: 'succeeded' | 'failed',
  error?: string,
): Promise<void> {
  await updateRunCounts(db, id, counts);
  await db
    .updateTable('ingest_run')
    .set({ status, finished_at: new Date(), error: error ?? null })
    .where('id', '=', id)
    .execute();
}

/** The latest runs, newest first. */
export function listRuns(db: Kysely<DB>, limit = 20) {
  return db.selectFrom('ingest_run').selectAll().orderBy('id', 'desc').limit(limit).execute();
}
