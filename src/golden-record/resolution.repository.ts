import { type Kysely, sql } from 'kysely';
import type { EntityType } from '../core/entities';
import type { DB } from '../db/schema';

/** A source record as resolution reads it. */
export interface ResolutionRecord {
  recordId: string;
  source: string;
  sourceId: string;
  attributes: Record<string, unknown>;
  version: number;
  updatedAt: string | null;
  receivedAt: string;
  changeSeq: string;
}

/** The live (not deleted) source records of an entity type, in a stable order. */
export async function loadLiveRecords(db: Kysely<DB>, entity: EntityType): Promise<ResolutionRecord[]> {
  const rows = await db
    .selectFrom('source_record')
    .select(['id', 'source', 'source_id', 'attributes', 'version', 'updated_at', 'last_seen_at', 'change_seq'])
    .where('entity', '=', entity)
    .where('deleted', '=', false)
    .orderBy('source')
    .orderBy('source_id')
    .execute();
  return rows.map(toResolutionRecord);
}

function toResolutionRecord(r: {
  id: string; source: string; source_id: string; attributes: Record<string, unknown>; version: number;
  updated_at: Date | string | null; last_seen_at: Date | string; change_seq: string;
}): ResolutionRecord {
  return {
    recordId: r.id,
    source: r.source,
    sourceId: r.source_id,
    attributes: r.attributes,
    version: r.version,
    updatedAt: r.updated_at ? new Date(r.updated_at).toISOString() : null,
    receivedAt: new Date(r.last_seen_at).toISOString(),
    changeSeq: r.change_seq,
  };
}

/** The live source records of an entity type in pages of `size`, by id (for a pass that keeps little of each). */
export async function* pagesOfLiveRecords(db: Kysely<DB>, entity: EntityType, size: number): AsyncGenerator<ResolutionRecord[]> {
  let after = '0';
  for (;;) {
    const rows = await db
      .selectFrom('source_record')
      .select(['id', 'source', 'source_id', 'attributes', 'version', 'updated_at', 'last_seen_at', 'change_seq'])
      .where('entity', '=', entity)
      .where('deleted', '=', false)
      .where('id', '>', after)
      .orderBy('id')
      .limit(size)
      .execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1].id;
    yield rows.map(toResolutionRecord);
    if (rows.length < size) return;
  }
}

/** The newest change to an entity's source records (0 when it has none). */
export async function maxChangeSeq(db: Kysely<DB>, entity: EntityType): Promise<string> {
  const row = await db
    .selectFrom('source_record')
    .select((eb) => eb.fn.max('change_seq').as('seq'))
    .where('entity', '=', entity)
    .executeTakeFirst();
  return row?.seq ?? '0';
}

/** `source|sourceId` -> golden id, for resolving references to an entity type through its clusters. */
export async function loadXrefMap(db: Kysely<DB>, entity: EntityType): Promise<Map<string, string>> {
  const rows = await db.selectFrom('xref').select(['source', 'source_id', 'golden_id']).where('entity', '=', entity).execute();
  const map = new Map<string, string>();
  for (const r of rows) map.set(`${r.source}\u0000${r.source_id}`, r.golden_id);
  return map;
}

export interface CurrentAttachment {
  goldenId: string;
  attachedAt: number;
}

/** record id -> its current golden record, for an entity type. */
export async function loadAttachments(db: Kysely<DB>, entity: EntityType): Promise<Map<string, CurrentAttachment>> {
  const rows = await db.selectFrom('xref').select(['record_id', 'golden_id', 'attached_at']).where('entity', '=', entity).execute();
  const map = new Map<string, CurrentAttachment>();
  for (const r of rows) map.set(r.record_id, { goldenId: r.golden_id, attachedAt: new Date(r.attached_at).getTime() });
  return map;
}

/** Active golden records of an entity type with their creation time. */
export async function loadActiveGoldens(db: Kysely<DB>, entity: EntityType): Promise<Map<string, { id: string; createdAt: number }>> {
  const rows = await db
    .selectFrom('golden_record')
    .select(['id', 'created_at'])
    .where('entity', '=', entity)
    .where('status', '=', 'active')
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, createdAt: new Date(r.created_at).getTime() }]));
}

/** Every golden id ever issued for an entity type (new ids must not reuse one). */
export async function loadAllGoldenIds(db: Kysely<DB>, entity: EntityType): Promise<Set<string>> {
  const rows = await db.selectFrom('golden_record').select('id').where('entity', '=', entity).execute();
  return new Set(rows.map((r) => r.id));
}

export interface StewardConstraint {
  kind: 'must-link' | 'cannot-link';
  left: string;
  right: string;
}

/** Active steward decisions of an entity type. */
export async function loadConstraints(db: Kysely<DB>, entity: EntityType): Promise<StewardConstraint[]> {
  const rows = await db
    .selectFrom('steward_decision')
    .select(['kind', 'left_record_id', 'right_record_id'])
    .where('entity', '=', entity)
    .where('active', '=', true)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ kind: r.kind as StewardConstraint['kind'], left: r.left_record_id, right: r.right_record_id }));
}

/** The newest steward decision id of an entity type ('0' when none). */
export async function maxDecisionId(db: Kysely<DB>, entity: EntityType): Promise<string> {
  const row = await db
    .selectFrom('steward_decision')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('entity', '=', entity)
    .executeTakeFirst();
  return row?.id ?? '0';
}

export interface ResolveRunRow {
  id: string;
  change_seq: string | null;
  summary: Record<string, unknown> | null;
  finished_at: Date | null;
}

/** The last successful resolve run of an entity type. */
export async function lastResolveRun(db: Kysely<DB>, entity: EntityType): Promise<ResolveRunRow | undefined> {
  return db
    .selectFrom('resolve_run')
    .select(['id', 'change_seq', 'summary', 'finished_at'])
    .where('entity', '=', entity)
    .where('status', '=', 'succeeded')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst() as Promise<ResolveRunRow | undefined>;
}

/** The newest stored (trained) model per model name of an entity type. */
export async function latestModels(db: Kysely<DB>, entity: EntityType): Promise<Map<string, { version: number; model: unknown }>> {
  const rows = await sql<{ name: string; version: number; model: unknown }>`
    SELECT DISTINCT ON (name) name, version, model FROM match_model
    WHERE entity = ${entity} ORDER BY name, version DESC`.execute(db);
  return new Map(rows.rows.map((r) => [r.name, { version: r.version, model: r.model }]));
}

export interface StoredGolden {
  id: string;
  version: number;
  status: string;
  attributes: Record<string, unknown> | null;
}

/** Current version, status and attributes of the given golden records. */
export async function loadGoldens(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, StoredGolden>> {
  const out = new Map<string, StoredGolden>();
  for (let i = 0; i < ids.length; i += 10_000) {
    const rows = await db
      .selectFrom('golden_record')
      .select(['id', 'version', 'status', 'attributes'])
      .where('id', 'in', ids.slice(i, i + 10_000))
      .execute();
    for (const r of rows) out.set(r.id, { id: r.id, version: r.version, status: r.status, attributes: r.attributes });
  }
  return out;
}

export interface PinRow {
  goldenId: string;
  attribute: string;
  kind: string;
  recordId: string | null;
  value: unknown;
  actor: string;
  at: string;
}

/** Active steward pins and overrides of an entity type's golden records. */
export async function loadPins(db: Kysely<DB>, entity: EntityType): Promise<Map<string, PinRow[]>> {
  const rows = await db
    .selectFrom('golden_pin as p')
    .innerJoin('golden_record as g', 'g.id', 'p.golden_id')
    .select(['p.golden_id', 'p.attribute', 'p.kind', 'p.record_id', 'p.value', 'p.actor', 'p.created_at'])
    .where('g.entity', '=', entity)
    .where('p.active', '=', true)
    .orderBy('p.id')
    .execute();
  const out = new Map<string, PinRow[]>();
  for (const r of rows) {
    const list = out.get(r.golden_id) ?? [];
    list.push({ goldenId: r.golden_id, attribute: r.attribute, kind: r.kind, recordId: r.record_id, value: r.value, actor: r.actor, at: new Date(r.created_at).toISOString() });
    out.set(r.golden_id, list);
  }
  return out;
}

/**
 * The golden ids of source records named by (entity, source, sourceId), keyed
 * `entity + NUL + source + NUL + sourceId`; records without one are left out. One join against
 * the keys as arrays: a list of row values (`(entity, source, source_id) IN (...)`) of a few
 * hundred keys took the embedded database's planner minutes.
 */
export async function goldenIdsOfKeys(db: Kysely<DB>, keys: ReadonlyArray<readonly [entity: string, source: string, sourceId: string]>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < keys.length; i += 5000) {
    const chunk = keys.slice(i, i + 5000);
    const { rows } = await sql<{ entity: string; source: string; source_id: string; golden_id: string }>`
      SELECT x.entity, x.source, x.source_id, x.golden_id
      FROM unnest(${chunk.map((k) => k[0])}::text[], ${chunk.map((k) => k[1])}::text[], ${chunk.map((k) => k[2])}::text[]) AS t(entity, source, source_id)
      JOIN xref x ON x.entity = t.entity AND x.source = t.source AND x.source_id = t.source_id`.execute(db);
    for (const r of rows) out.set(`${r.entity}\u0000${r.source}\u0000${r.source_id}`, r.golden_id);
  }
  return out;
}
