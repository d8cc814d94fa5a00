import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema';
import type { CrossReferenceRow } from './golden-record.reader';

/**
 * Reads of golden-record history (`golden_history`: one row per version, valid from..to) and of
 * cross-reference moves (`xref_move`), for `history`, `asOf` and `sourceRecordMoves`.
 *
 * @example
 * ```ts
 * const versions = await historyByGoldenIds(db, ['G-9W4Q2M7TK1XZ3']);
 * const then = await statesAsOf(db, ['G-9W4Q2M7TK1XZ3'], new Date('2026-01-01T00:00:00Z'));
 * ```
 */
export interface GoldenVersionRow {
  goldenId: string;
  version: number;
  entity: string;
  status: string;
  mergedInto: string | null;
  attributes: Record<string, unknown> | null;
  members: string[];
  change: string;
  validFrom: Date;
  validTo: Date | null;
}

type HistoryRow = {
  golden_id: string;
  version: number;
  entity: string;
  status: string;
  merged_into: string | null;
  attributes: Record<string, unknown> | null;
  members: string[];
  change: string;
  valid_from: Date | string;
  valid_to: Date | string | null;
};

const toVersion = (r: HistoryRow): GoldenVersionRow => ({
  goldenId: r.golden_id,
  version: r.version,
  entity: r.entity,
  status: r.status,
  mergedInto: r.merged_into,
  attributes: r.attributes,
  members: r.members ?? [],
  change: r.change,
  validFrom: new Date(r.valid_from),
  validTo: r.valid_to === null ? null : new Date(r.valid_to),
});

/** Every version of the given golden records, newest first. */
export async function historyByGoldenIds(db: Kysely<DB>, ids: readonly string[]): Promise<GoldenVersionRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('golden_history')
    .select(['golden_id', 'version', 'entity', 'status', 'merged_into', 'attributes', 'members', 'change', 'valid_from', 'valid_to'])
    .where('golden_id', 'in', [...ids])
    .orderBy('golden_id')
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => toVersion(r as HistoryRow));
}

/** The version of each golden record that was valid at `at` (none when it did not exist yet). */
export async function statesAsOf(db: Kysely<DB>, ids: readonly string[], at: Date): Promise<GoldenVersionRow[]> {
  if (ids.length === 0) return [];
  const rows = await sql<HistoryRow>`
    SELECT DISTINCT ON (golden_id) golden_id, version, entity, status, merged_into, attributes, members, change, valid_from, valid_to
    FROM golden_history
    WHERE golden_id IN (${sql.join([...ids])}) AND valid_from <= ${at}
    ORDER BY golden_id, version DESC`.execute(db);
  return rows.rows.map(toVersion);
}

/** A source record's move between golden records (attach, move, detach). */
export interface XrefMoveRow {
  id: string;
  recordId: string;
  entity: string;
  source: string;
  sourceId: string;
  fromGolden: string | null;
  toGolden: string | null;
  reason: string;
  movedAt: Date;
}

/** Moves into or out of the given golden records, oldest first. */
export async function movesByGoldenIds(db: Kysely<DB>, ids: readonly string[]): Promise<XrefMoveRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('xref_move')
    .select(['id', 'record_id', 'entity', 'source', 'source_id', 'from_golden', 'to_golden', 'reason', 'moved_at'])
    .where((eb) => eb.or([eb('to_golden', 'in', [...ids]), eb('from_golden', 'in', [...ids])]))
    .orderBy('moved_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    recordId: r.record_id,
    entity: r.entity,
    source: r.source,
    sourceId: r.source_id,
    fromGolden: r.from_golden,
    toGolden: r.to_golden,
    reason: r.reason,
    movedAt: new Date(r.moved_at),
  }));
}

/**
 * The cross-references of golden records as they were at `at`: each source record whose last
 * move at or before `at` went into one of them.
 */
export async function xrefsAsOf(db: Kysely<DB>, ids: readonly string[], at: Date): Promise<CrossReferenceRow[]> {
  if (ids.length === 0) return [];
  const rows = await sql<{ entity: string; source: string; source_id: string; to_golden: string | null; moved_at: Date | string }>`
    SELECT * FROM (
      SELECT DISTINCT ON (m.record_id) m.entity, m.source, m.source_id, m.to_golden, m.moved_at
      FROM xref_move m
      WHERE m.moved_at <= ${at}
        AND m.record_id IN (SELECT record_id FROM xref_move WHERE to_golden IN (${sql.join([...ids])}))
      ORDER BY m.record_id, m.moved_at DESC, m.id DESC
    ) last_move
    WHERE to_golden IN (${sql.join([...ids])})
    ORDER BY source, source_id`.execute(db);
  return rows.rows.map((r) => ({ entity: r.entity, source: r.source, sourceId: r.source_id, goldenId: r.to_golden!, attachedAt: new Date(r.moved_at) }));
}

/** The golden record a source record was attached to at `at` (its last move at or before then), or null. */
export async function goldenIdOfSourceRecordAsOf(
  db: Kysely<DB>,
  key: { entity: string; source: string; sourceId: string },
  at: Date,
): Promise<string | null> {
  const row = await db
    .selectFrom('xref_move')
    .select('to_golden')
    .where('record_id', '=', (eb) =>
      eb
        .selectFrom('source_record')
        .select('id')
        .where('entity', '=', key.entity)
        .where('source', '=', key.source)
        .where('source_id', '=', key.sourceId),
    )
    .where('moved_at', '<=', at)
    .orderBy('moved_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.to_golden ?? null;
}
