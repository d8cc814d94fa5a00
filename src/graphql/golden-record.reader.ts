import { type Kysely, sql } from 'kysely';
import { anyOf, executePrepared } from '../db/prepared';
import type { DB } from '../db/schema';

/**
 * Set-based reads of golden records and cross-references for the GraphQL layer. Every function
 * takes many keys and runs one parameterized query, so dataloaders can batch a whole request level.
 *
 * @example
 * ```ts
 * const rows = await goldenRecordsByIds(db, ['G-9W4Q2M7TK1XZ3']);
 * ```
 */
export interface GoldenRecordRow {
  id: string;
  entity: string;
  status: string;
  version: number;
  /** Survived attributes, or null until survivorship has written them. */
  attributes: Record<string, unknown> | null;
  splitFrom: string | null;
  /** Where a merged or retired id now points (golden_redirect, else merged_into). */
  redirectTo: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Set when the row is a past state (`asOf` reads): the time it was asked for. */
  asOf?: Date;
}

export interface CrossReferenceRow {
  entity: string;
  source: string;
  sourceId: string;
  goldenId: string;
  attachedAt: Date;
}

export interface XrefKey {
  entity: string;
  source: string;
  sourceId: string;
}

export async function goldenRecordsByIds(db: Kysely<DB>, ids: readonly string[]): Promise<GoldenRecordRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await executePrepared(
    db,
    db
      .selectFrom('golden_record as g')
      .leftJoin('golden_redirect as r', 'r.from_id', 'g.id')
      .select([
        'g.id', 'g.entity', 'g.status', 'g.version', 'g.attributes', 'g.split_from', 'g.merged_into',
        'g.created_at', 'g.updated_at', 'r.to_id',
      ])
      .where('g.id', '=', anyOf(ids)),
  );
  return rows.map((r) => ({
    id: r.id,
    entity: r.entity,
    status: r.status,
    version: r.version,
    attributes: r.attributes,
    splitFrom: r.split_from,
    redirectTo: r.to_id ?? r.merged_into,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  }));
}

function toXref(r: { entity: string; source: string; source_id: string; golden_id: string; attached_at: Date }): CrossReferenceRow {
  return { entity: r.entity, source: r.source, sourceId: r.source_id, goldenId: r.golden_id, attachedAt: new Date(r.attached_at) };
}

/** Cross-references of golden records, ordered by source, then source id. */
export async function xrefsByGoldenIds(db: Kysely<DB>, goldenIds: readonly string[]): Promise<CrossReferenceRow[]> {
  if (goldenIds.length === 0) return [];
  const { rows } = await executePrepared(
    db,
    db
      .selectFrom('xref')
      .select(['entity', 'source', 'source_id', 'golden_id', 'attached_at'])
      .where('golden_id', '=', anyOf(goldenIds))
      .orderBy('source')
      .orderBy('source_id'),
  );
  return rows.map(toXref);
}

/** A cross-reference with its golden record and every cross-reference of that golden record. */
export interface XrefWithGolden {
  xref: CrossReferenceRow;
  record: GoldenRecordRow;
  /** Ordered by source, then source id (as `xrefsByGoldenIds`). */
  siblings: CrossReferenceRow[];
}

/**
 * Cross-references by key, each with its golden record and that record's cross-references, in one
 * query: a source-id translation needs all three, and a round trip to the database costs more
 * than the few extra bytes.
 */
export async function xrefsWithGoldenByKeys(db: Kysely<DB>, keys: readonly XrefKey[]): Promise<XrefWithGolden[]> {
  if (keys.length === 0) return [];
  const rows = await executePrepared(db, sql<{
    entity: string; source: string; source_id: string; golden_id: string; attached_at: Date;
    g_entity: string; status: string; version: number; attributes: Record<string, unknown> | null; split_from: string | null;
    merged_into: string | null; created_at: Date; updated_at: Date; to_id: string | null;
    siblings: Array<[string, string, string, string]>;
  }>`
    SELECT q.entity, q.source, q.source_id, q.golden_id, q.attached_at,
      g.entity AS g_entity, g.status, g.version, g.attributes, g.split_from, g.merged_into, g.created_at, g.updated_at, r.to_id,
      (SELECT json_agg(json_build_array(x.entity, x.source, x.source_id, x.attached_at) ORDER BY x.source, x.source_id)
         FROM xref x WHERE x.golden_id = q.golden_id) AS siblings
    FROM xref q
    JOIN golden_record g ON g.id = q.golden_id
    LEFT JOIN golden_redirect r ON r.from_id = g.id
    WHERE (q.entity, q.source, q.source_id) IN (
      SELECT * FROM unnest(${keys.map((k) => k.entity)}::text[], ${keys.map((k) => k.source)}::text[], ${keys.map((k) => k.sourceId)}::text[]))`);
  return rows.rows.map((r) => ({
    xref: toXref(r),
    record: {
      id: r.golden_id,
      entity: r.g_entity,
      status: r.status,
      version: r.version,
      attributes: r.attributes,
      splitFrom: r.split_from,
      redirectTo: r.to_id ?? r.merged_into,
      createdAt: new Date(r.created_at),
      updatedAt: new Date(r.updated_at),
    },
    siblings: (r.siblings ?? []).map(([entity, source, sourceId, attachedAt]) => ({ entity, source, sourceId, goldenId: r.golden_id, attachedAt: new Date(attachedAt) })),
  }));
}

/** Ids that redirect to the given ones (the merged-away ids of each survivor). */
export async function redirectsTo(db: Kysely<DB>, toIds: readonly string[]): Promise<Array<{ fromId: string; toId: string }>> {
  if (toIds.length === 0) return [];
  const { rows } = await executePrepared(db, db.selectFrom('golden_redirect').select(['from_id', 'to_id']).where('to_id', '=', anyOf(toIds)).orderBy('from_id'));
  return rows.map((r) => ({ fromId: r.from_id, toId: r.to_id }));
}

export interface MemberAttributesRow {
  goldenId: string;
  source: string;
  sourceId: string;
  updatedAt: Date | null;
  attributes: Record<string, unknown>;
}

/** The current attributes of the source records attached to golden records. */
export async function memberAttributesByGoldenIds(db: Kysely<DB>, goldenIds: readonly string[]): Promise<MemberAttributesRow[]> {
  if (goldenIds.length === 0) return [];
  const rows = await db
    .selectFrom('xref as x')
    .innerJoin('source_record as s', 's.id', 'x.record_id')
    .select(['x.golden_id', 's.source', 's.source_id', 's.updated_at', 's.attributes'])
    .where('x.golden_id', 'in', [...goldenIds])
    .where('s.deleted', '=', false)
    .execute();
  return rows.map((r) => ({
    goldenId: r.golden_id,
    source: r.source,
    sourceId: r.source_id,
    updatedAt: r.updated_at ? new Date(r.updated_at) : null,
    attributes: r.attributes,
  }));
}

/**
 * One page of active golden records of an entity type in id order (keyset pagination).
 * `inverted` reads backwards from `before`.
 */
export async function pageGoldenRecordIds(
  db: Kysely<DB>,
  options: { entity: string; after?: string; before?: string; limit: number; inverted: boolean },
): Promise<string[]> {
  let q = db
    .selectFrom('golden_record')
    .select('id')
    .where('entity', '=', options.entity)
    .where('status', '=', 'active');
  if (options.after !== undefined) q = q.where('id', '>', options.after);
  if (options.before !== undefined) q = q.where('id', '<', options.before);
  const rows = await q.orderBy('id', options.inverted ? 'desc' : 'asc').limit(options.limit).execute();
  return rows.map((r) => r.id);
}
