import { type Kysely, sql } from 'kysely';
import { anyOf, executePrepared } from '../db/prepared';
import type { DB } from '../db/schema';

/**
 * Set-based reads of golden-to-golden relationships (view `golden_link`: references between
 * source records resolved through the cross-references, so they follow merges and splits), of
 * source records and of serial-number matches. Every function takes many keys and runs one query.
 *
 * @example
 * ```ts
 * await outgoingLinks(db, ['G-ASSET1'], ['customer']); // [{ fromId: 'G-ASSET1', relation: 'customer', toId: 'G-CUST1', ... }]
 * ```
 */
export interface GoldenLinkRow {
  fromId: string;
  fromEntity: string;
  relation: string;
  toId: string;
  toEntity: string;
}

const toLink = (r: { from_id: string; from_entity: string; relation: string; to_id: string; to_entity: string }): GoldenLinkRow => ({
  fromId: r.from_id,
  fromEntity: r.from_entity,
  relation: r.relation,
  toId: r.to_id,
  toEntity: r.to_entity,
});

/** Links from the given golden records (their references), ordered by target id. */
export async function outgoingLinks(db: Kysely<DB>, fromIds: readonly string[], relations: readonly string[]): Promise<GoldenLinkRow[]> {
  if (fromIds.length === 0 || relations.length === 0) return [];
  const { rows } = await executePrepared(
    db,
    db
      .selectFrom('golden_link')
      .select(['from_id', 'from_entity', 'relation', 'to_id', 'to_entity'])
      .where('from_id', '=', anyOf(fromIds))
      .where('relation', '=', anyOf(relations))
      .orderBy('to_id'),
  );
  return rows.filter((r) => r.from_id !== r.to_id).map(toLink);
}

/** Links to the given golden records (who references them), ordered by source id. */
export async function incomingLinks(db: Kysely<DB>, toIds: readonly string[], relations: readonly string[]): Promise<GoldenLinkRow[]> {
  if (toIds.length === 0 || relations.length === 0) return [];
  const { rows } = await executePrepared(
    db,
    db
      .selectFrom('golden_link')
      .select(['from_id', 'from_entity', 'relation', 'to_id', 'to_entity'])
      .where('to_id', '=', anyOf(toIds))
      .where('relation', '=', anyOf(relations))
      .orderBy('from_id'),
  );
  return rows.filter((r) => r.from_id !== r.to_id).map(toLink);
}

/** A source record as stored (current version), with the golden record it is attached to. */
export interface SourceRecordRow {
  recordId: string;
  entity: string;
  source: string;
  sourceId: string;
  updatedAt: Date | null;
  deleted: boolean;
  version: number;
  attributes: Record<string, unknown>;
  goldenId: string | null;
}

export async function sourceRecordsByIds(db: Kysely<DB>, ids: readonly string[]): Promise<SourceRecordRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await executePrepared(
    db,
    db
      .selectFrom('source_record as s')
      .leftJoin('xref as x', 'x.record_id', 's.id')
      .select(['s.id', 's.entity', 's.source', 's.source_id', 's.updated_at', 's.deleted', 's.version', 's.attributes', 'x.golden_id'])
      .where('s.id', '=', sql<string>`ANY(${[...ids]}::bigint[])`),
  );
  return rows.map((r) => ({
    recordId: r.id,
    entity: r.entity,
    source: r.source,
    sourceId: r.source_id,
    updatedAt: r.updated_at ? new Date(r.updated_at) : null,
    deleted: r.deleted,
    version: r.version,
    attributes: r.attributes,
    goldenId: r.golden_id,
  }));
}

/**
 * Golden records of an entity type whose live source records carry one of the serial numbers,
 * compared by the SQL serial key `mdm_serial_key` (see sql/0006_graphql.sql): `value` is the
 * serial number asked for.
 */
export async function goldenIdsBySerialNumbers(
  db: Kysely<DB>,
  entity: 'serial' | 'asset',
  serials: readonly string[],
): Promise<Array<{ value: string; goldenId: string }>> {
  if (serials.length === 0) return [];
  const rows = await sql<{ value: string; golden_id: string }>`
    SELECT DISTINCT v.value, x.golden_id
    FROM unnest(${[...serials]}::text[]) AS v(value)
    JOIN source_record s ON s.entity = ${entity} AND NOT s.deleted
      AND mdm_serial_key(s.attributes->>'serialNumber') = mdm_serial_key(v.value)
    JOIN xref x ON x.record_id = s.id
    ORDER BY x.golden_id`.execute(db);
  return rows.rows.map((r) => ({ value: r.value, goldenId: r.golden_id }));
}
