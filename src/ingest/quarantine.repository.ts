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

// A rejected record may carry a NUL character, which a PostgreSQL text column refuses: it is kept
// visible as the escape \u0000 instead.
const storable = <T extends string | null>(text: T): T => (text === null || !text.includes('\u0000') ? text : (text.replaceAll('\u0000', '\\u0000') as T));

/** Stores rejected records with where they came from and why. */
export async function addToQuarantine(db: Kysely<DB>, entries: QuarantineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('quarantine')
    .values(
      entries.map((e) => ({
        run_id: e.runId,
        source: storable(e.source ?? null),
        entity: storable(e.entity ?? null),
        source_id: storable(e.sourceId ?? null),
        file: storable(e.file ?? null),
        line: e.line ?? null,
        excerpt: storable(e.excerpt),
        reason: storable(e.reason),
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
