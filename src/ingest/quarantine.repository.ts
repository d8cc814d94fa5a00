import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

export interface QuarantineEntry {
  runId: string | null;
  source?: string | null;
  entity?: string | null;
  sourceId?: string | null;
  file?: string | null;
  line?: number | null;
  excerpt: string;
  reason: string;
}

/** Stores rejected records with where they came from and why. */
export async function addToQuarantine(db: Kysely<DB>, entries: QuarantineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('quarantine')
    .values(
      entries.map((e) => ({
        run_id: e.runId,
        source: e.source ?? null,
        entity: e.entity ?? null,
        source_id: e.sourceId ?? null,
        file: e.file ?? null,
        line: e.line ?? null,
        excerpt: e.excerpt,
        reason: e.reason,
      })),
    )
    .execute();
}

export interface QuarantineFilter {
  runId?: string;
  source?: string;
  limit?: number;
}

/** Quarantined records, newest first. */
export function listQuarantine(db: Kysely<DB>, filter: QuarantineFilter = {}) {
  let q = db.selectFrom('quarantine').selectAll().orderBy('id', 'desc').limit(filter.limit ?? 100);
  if (filter.runId) q = q.where('run_id', '=', filter.runId);
  if (filter.source) q = q.where('source', '=', filter.source);
  return q.execute();
}
