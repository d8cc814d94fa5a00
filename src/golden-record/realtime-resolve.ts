import { sql } from 'kysely';
import type { EntityType } from '../core/entities';
import type pg from 'pg';
import type { Database } from '../db/database';
import { KEYS } from '../graphql/match-candidates.service';
import { blockingKeys } from '../matching/blocking';
import { modelFor, type ModelEntry } from '../matching/models';
import { ownedUnitsByCustomer, PREPARE_REFERENCES, prepareRecord, type PrepareContext, type PrepareInput } from '../matching/prepare';
import { resolveEntity } from '../matching/pipeline';
import { systemClock } from '../survivorship';
import { applyResolution, type AppliedCounts, type ReviewPairRow } from './apply-resolution';
import { assignGoldenIds, type ClusterMember } from './assign-golden-ids';
import { lockKey } from './entity-lock';
import { involvedGoldenIds, planGoldenChanges } from './golden-changes';
import { goldenIdFor } from './golden-id';
import { goldenIdsOfKeys, lastResolveRun, type PinRow, type ResolutionRecord } from './resolution.repository';
import { modelsForRun, recordLinks, REFERENCED } from './resolve.service';

/**
 * Real-time resolution of a few changed source records of one entity type, in one transaction,
 * without clustering the whole entity type again:
 *
 * 1. the neighbourhood: the golden records the changed records belong to, and those of every
 *    record that shares a match key with them (tax id, DUNS, email, phone, name prefix with postal
 *    code, GTIN, part number, serial, contract number: the indexed keys of sql/0006);
 * 2. every live member of those golden records, with the changed records, is resolved by the same
 *    pipeline as a batch run (blocking rules, scoring, competition, clustering under steward
 *    constraints), with the prior of the last batch run instead of one estimated from the few
 *    pairs at hand;
 * 3. golden ids follow the same lifecycle rules as a batch run (heir keeps its id, the oldest
 *    survives a merge, a split gets a new id recording where it came from), then golden records,
 *    history, cross-references, moves, links, the review pairs of the neighbourhood and the
 *    outbox events are written by `applyResolution`.
 *
 * Records of locked golden records keep their golden record. The caller holds the entity lock.
 * Returns what changed and the records whose golden record changed (their referrers may need
 * a second look: see `referrersOf`).
 */
export interface RealtimeResult extends AppliedCounts {
  entity: EntityType;
  /** Records in the neighbourhood that was resolved. */
  neighbourhood: number;
  /** Records whose golden record changed (new, moved, merged or split). */
  movedRecords: string[];
}

interface RecordRow {
  id: string;
  source: string;
  source_id: string;
  attributes: Record<string, unknown>;
  deleted: boolean;
  version: number;
  updated_at: Date | null;
  last_seen_at: Date;
  change_seq: string;
  golden_id: string | null;
  attached_at: Date | null;
  locked: boolean | null;
  created_at: Date | null;
}

function toResolutionRecord(r: RecordRow): ResolutionRecord {
  return {
    recordId: String(r.id),
    source: r.source,
    sourceId: r.source_id,
    attributes: r.attributes,
    version: r.version,
    updatedAt: r.updated_at ? new Date(r.updated_at).toISOString() : null,
    receivedAt: new Date(r.last_seen_at).toISOString(),
    changeSeq: String(r.change_seq),
  };
}

const RECORD_COLUMNS = sql`s.id, s.source, s.source_id, s.attributes, s.deleted, s.version, s.updated_at, s.last_seen_at, s.change_seq,
  x.golden_id, x.attached_at, g.locked, g.created_at`;

/** Active steward pins and overrides of the given golden records. */
async function pinsOf(database: Database, ids: readonly string[]): Promise<Map<string, PinRow[]>> {
  const out = new Map<string, PinRow[]>();
  if (ids.length === 0) return out;
  const rows = await database.db
    .selectFrom('golden_pin')
    .select(['golden_id', 'attribute', 'kind', 'record_id', 'value', 'actor', 'created_at'])
    .where('golden_id', 'in', [...ids])
    .where('active', '=', true)
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.golden_id) ?? [];
    list.push({ goldenId: r.golden_id, attribute: r.attribute, kind: r.kind, recordId: r.record_id, value: r.value, actor: r.actor, at: new Date(r.created_at).toISOString() });
    out.set(r.golden_id, list);
  }
  return out;
}

const modelCache = new WeakMap<Database, Map<EntityType, { at: number; models: Promise<ModelEntry[]> }>>();

/**
 * Models with the prior, source overlaps and frequency totals of the last batch run (estimates from a
 * handful of records would be noise); read at most every 2 s.
 */
function realtimeModels(database: Database, entity: EntityType): Promise<ModelEntry[]> {
  let cache = modelCache.get(database);
  if (!cache) modelCache.set(database, (cache = new Map()));
  const hit = cache.get(entity);
  if (hit && Date.now() - hit.at < 2000) return hit.models;
  const models = loadRealtimeModels(database, entity);
  cache.set(entity, { at: Date.now(), models });
  models.catch(() => cache.delete(entity));
  return models;
}

async function loadRealtimeModels(database: Database, entity: EntityType): Promise<ModelEntry[]> {
  const models = await modelsForRun(database, entity);
  const last = await lastResolveRun(database.db, entity);
  const priors = (last?.summary?.priors ?? {}) as Record<string, number>;
  const overlaps = (last?.summary?.overlaps ?? {}) as Record<string, Record<string, Record<string, number>>>;
  const totals = (last?.summary?.termFrequencyTotals ?? {}) as Record<string, Record<string, number>>;
  return models.map((entry) => ({
    ...entry,
    ...(typeof priors[entry.name] === 'number' ? { model: { ...entry.model, prior: priors[entry.name] } } : {}),
    // Without a full run's estimate, no overlap gain (a few records cannot estimate it).
    overlap: overlaps[entry.name] ?? {},
    ...(totals[entry.name] ? { termFrequencyTotals: totals[entry.name] } : {}),
  }));
}

/** References and owned units of the given records, resolved through cross-references in two queries. */
async function contextFor(database: Database, entity: EntityType, inputs: readonly PrepareInput[]): Promise<PrepareContext> {
  const key = (e: string, source: string, id: string) => `${e}\u0000${source}\u0000${id}`;
  const wanted = new Map<string, [string, string, string]>();
  const recording: PrepareContext = {
    ref: (e, id, source) => {
      wanted.set(key(e, source, id), [e, source, id]);
      return null;
    },
    ownedUnits: () => [],
  };
  // Only to learn which references to look up; a type whose records ask for none is not prepared twice.
  if (PREPARE_REFERENCES[entity].length > 0) for (const input of inputs) prepareRecord(entity, input, recording);

  // Customers match on the units their assets install: the assets that point at these customers.
  let assets: PrepareInput[] = [];
  if (entity === 'customer' && inputs.length > 0) {
    const { rows } = await sql<{ source: string; source_id: string; attributes: Record<string, unknown> }>`
      SELECT DISTINCT s.source, s.source_id, s.attributes
      FROM unnest(${inputs.map((i) => i.source)}::text[], ${inputs.map((i) => i.sourceId)}::text[]) AS t(source, source_id)
      JOIN record_link l ON l.target_entity = 'customer' AND l.target_source = t.source AND l.target_source_id = t.source_id AND l.relation = 'customer'
      JOIN source_record s ON s.id = l.record_id AND NOT s.deleted AND s.entity = 'asset'`.execute(database.db);
    assets = rows.map((r) => ({ id: 0, source: r.source, sourceId: r.source_id, attributes: r.attributes }));
    for (const a of assets) {
      const productRef = a.attributes.productRef;
      if (typeof productRef === 'string' && productRef !== '') wanted.set(key('product', a.source, productRef), ['product', a.source, productRef]);
    }
  }

  // As in a batch run: references to other entity types resolve, a type's references to itself do not.
  const list = [...wanted.values()].filter(([e]) => e !== entity && REFERENCED[entity].includes(e as EntityType));
  const resolved = await goldenIdsOfKeys(database.db, list);
  const context: PrepareContext = { ref: (e, id, source) => resolved.get(key(e, source, id)) ?? null };
  if (entity === 'customer') {
    const owned = ownedUnitsByCustomer(assets, context);
    context.ownedUnits = (source, sourceId) => owned.get(`${source}\u0000${sourceId}`) ?? [];
  }
  return context;
}

function keyText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  return value.trim() === '' ? null : value;
}

/**
 * The records' values of one match key's attributes as a set of rows `p(a0, a1, ...)` to unnest
 * (`arrays` named `names`; `params` reads them), or undefined when no record has them all.
 */
function keyInput(spec: (typeof KEYS)[EntityType][number], records: readonly RecordRow[]) {
  const columns: Array<Array<string>> = spec.attributes.map(() => []);
  for (const r of records) {
    const values = spec.attributes.map((a) => keyText(r.attributes[a]));
    if (values.some((v) => v === null)) continue;
    values.forEach((v, k) => columns[k].push(v!));
  }
  if (columns[0].length === 0) return undefined;
  return {
    params: spec.attributes.map((_, k) => sql.raw(`p.a${k}`)),
    arrays: columns.map((c) => sql`${c}::text[]`),
    names: sql.raw(spec.attributes.map((_, k) => `a${k}`).join(', ')),
  };
}

/**
 * The records that share a match key (sql/0006) with any of the given records, with their golden
 * records: one query for all of them, at most 200 records per key value (a generic value finds no more).
 */
async function keyNeighbours(database: Database, entity: EntityType, records: readonly RecordRow[]): Promise<Array<{ id: string; golden_id: string }>> {
  const lookups = [];
  for (const spec of KEYS[entity]) {
    const keyed = keyInput(spec, records);
    if (!keyed) continue;
    const { params, arrays, names } = keyed;
    const column = spec.expression(spec.attributes.map((a) => sql`s.attributes->>${sql.lit(a)}`));
    lookups.push(sql`SELECT k.id FROM unnest(${sql.join(arrays)}) AS p(${names})
      CROSS JOIN LATERAL (SELECT s.id FROM source_record s WHERE s.entity = ${entity} AND NOT s.deleted
        AND ${column} = ${spec.expression(params)} LIMIT 200) k`);
  }
  if (lookups.length === 0) return [];
  const { rows } = await sql<{ id: string; golden_id: string }>`
    SELECT f.id, x.golden_id FROM (${sql.join(lookups, sql` UNION `)}) f JOIN xref x ON x.record_id = f.id`.execute(database.db);
  return rows;
}

/** Advisory-lock namespace of neighbourhood locks (that of entity types' locks is 0x6d646d). */
const NEIGHBOURHOOD_LOCKS = 0x6d646e;
/** Rounds of reading a neighbourhood and locking what it grew by before giving up. */
const MAX_LOCK_ROUNDS = 50;

/** The records to resolve and the golden records of their neighbourhood (see `resolveRecordsNow`). */
interface Neighbourhood {
  changed: RecordRow[];
  seeds: Set<string>;
  /** The golden record of each record through which a seed was found, as read. */
  basis: Map<string, string>;
}

/**
 * The advisory locks of one real-time resolution's neighbourhood, held on a connection of their own
 * from before the neighbourhood is read for the last time until its writes are committed. Locked:
 * each golden record of the neighbourhood, each changed record, and each match-key value and
 * reference of the changed records (two new records sharing a tax id, neither resolved yet, are in
 * no golden record to lock, but share that key). Whoever changes a golden record, attaches a record
 * to it or resolves a record holds its lock, so once the locks cover a neighbourhood read under
 * them, it stays as read.
 *
 * The locks of the changed records, their key values and references are taken first (waiting for
 * them), and the neighbourhood is read under them; its golden records' locks are then tried without
 * waiting. Between the read and those locks another resolution may have changed one of the golden
 * records: then a record read moved, which one statement checks (with the changed records'
 * versions) instead of reading the neighbourhood again. Only when something moved, or a lock was
 * taken, is it read again: all locks let go and taken again in key order (no deadlock), until a
 * read under them finds nothing more to lock.
 */
class NeighbourhoodLocks {
  private client: pg.PoolClient | undefined;
  private readonly held = new Set<number>();
  /** `recordsOnly`: the fixed locks are the records' alone (a resolution that keeps clusters reads no key or reference neighbours). */
  constructor(
    private readonly database: Database,
    private readonly recordsOnly = false,
  ) {}

  /** Reads the neighbourhood of the changed records under its locks (see the class). */
  async settle(entity: EntityType, readChanged: () => Promise<RecordRow[]>, readAround: (changed: RecordRow[]) => Promise<Neighbourhood>): Promise<Neighbourhood> {
    let changed = await readChanged();
    if (changed.length === 0) return { changed, seeds: new Set(), basis: new Map() };
    let fixed = await this.fixedLocks(entity, changed);
    await this.lock([...new Set(fixed)].sort((a, b) => a - b));
    let found = await readAround(changed);
    // The first read of the changed records was not under their locks: it is checked like a moved record.
    let heldWhenRead: Set<number> | undefined;
    for (let round = 0; round < MAX_LOCK_ROUNDS; round++) {
      const wanted = [...new Set([...fixed, ...[...found.seeds].map((g) => lockKey(`golden|${g}`))])];
      if (heldWhenRead && wanted.every((k) => heldWhenRead!.has(k))) return found;
      const missing = wanted.filter((k) => !this.held.has(k)).sort((a, b) => a - b);
      if (missing.length === 0 || (await this.tryLock(missing))) {
        if (await this.unchangedSince(found)) return found;
      } else {
        await this.unlockAll();
        await this.lock(wanted.sort((a, b) => a - b));
      }
      heldWhenRead = new Set(this.held);
      changed = await readChanged();
      fixed = await this.fixedLocks(entity, changed);
      found = await readAround(changed);
    }
    throw new Error(`the neighbourhood of ${entity} records ${found.changed.map((r) => r.id).join(', ')} kept changing while it was locked (${MAX_LOCK_ROUNDS} rounds)`);
  }

  /** Locks that follow from the changed records alone: the records, their key values and references. */
  private async fixedLocks(entity: EntityType, changed: readonly RecordRow[]): Promise<number[]> {
    const records = changed.map((r) => lockKey(`record|${r.id}`));
    if (this.recordsOnly) return records;
    return [...(await keyLocks(this.database, entity, changed)), ...referenceLocks(entity, changed), ...records];
  }

  /** Whether the records read are still in the golden records they were read in, and the changed ones unchanged. */
  private async unchangedSince(found: Neighbourhood): Promise<boolean> {
    const ids = [...found.changed.map((r) => String(r.id)), ...found.basis.keys()];
    const goldens = [...found.changed.map((r) => r.golden_id), ...found.basis.values()];
    const client = await this.connection();
    const { rows } = await client.query<{ moved: number }>(
      `SELECT (SELECT count(*) FROM unnest($1::bigint[], $2::text[]) AS b(id, golden_id)
                LEFT JOIN xref x ON x.record_id = b.id WHERE x.golden_id IS DISTINCT FROM b.golden_id)
            + (SELECT count(*) FROM unnest($3::bigint[], $4::bigint[]) AS c(id, change_seq)
                LEFT JOIN source_record s ON s.id = c.id WHERE s.change_seq IS DISTINCT FROM c.change_seq) AS moved`,
      [ids, goldens, found.changed.map((r) => String(r.id)), found.changed.map((r) => String(r.change_seq))],
    );
    return Number(rows[0].moved) === 0;
  }

  private async connection(): Promise<pg.PoolClient> {
    this.client ??= await this.database.pool.connect();
    return this.client;
  }

  private async lock(keys: number[]): Promise<void> {
    const client = await this.connection();
    // One statement, the keys in the given (ascending) order: each waits for its lock holding the ones before.
    await client.query('SELECT pg_advisory_lock($1, k)::text FROM unnest($2::int[]) AS u(k)', [NEIGHBOURHOOD_LOCKS, keys]);
    for (const k of keys) this.held.add(k);
  }

  private async tryLock(keys: number[]): Promise<boolean> {
    const client = await this.connection();
    const { rows } = await client.query<{ k: number; ok: boolean }>('SELECT k, pg_try_advisory_lock($1, k) AS ok FROM unnest($2::int[]) AS u(k)', [NEIGHBOURHOOD_LOCKS, keys]);
    for (const r of rows) if (r.ok) this.held.add(r.k);
    return rows.every((r) => r.ok);
  }

  /** Lets go of every lock of the connection, also those a failed statement may have taken. */
  private async unlockAll(): Promise<void> {
    if (this.client) await this.client.query('SELECT pg_advisory_unlock_all()');
    this.held.clear();
  }

  async release(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      await this.unlockAll();
      this.client = undefined;
      client.release();
    } catch (error) {
      this.client = undefined;
      client.release(error as Error); // a connection that may still hold locks is not reused
    }
  }
}

/** Lock keys of the match-key values (sql/0006) of the records, computed by the same expressions as the index. */
async function keyLocks(database: Database, entity: EntityType, records: readonly RecordRow[]): Promise<number[]> {
  const lookups = [];
  const live = records.filter((r) => !r.deleted && !r.locked);
  for (const spec of KEYS[entity]) {
    const keyed = keyInput(spec, live);
    if (!keyed) continue;
    const value = spec.expression(keyed.params);
    lookups.push(sql`SELECT hashtext(${`key|${entity}|${spec.name}|`} || (${value})::text) AS k
      FROM unnest(${sql.join(keyed.arrays)}) AS p(${keyed.names}) WHERE (${value}) IS NOT NULL`);
  }
  if (lookups.length === 0) return [];
  const { rows } = await sql<{ k: number }>`${sql.join(lookups, sql` UNION `)}`.execute(database.db);
  return rows.map((r) => r.k);
}

/** Lock keys of the references of the records (records referring to one golden record are candidates). */
function referenceLocks(entity: EntityType, records: readonly RecordRow[]): number[] {
  return blockingReferences(entity, records).map(([, relation, targetEntity, source, sourceId]) => lockKey(`ref|${entity}|${relation}|${targetEntity}|${source}|${sourceId}`));
}

/** The counts the last full run stored (`term_frequency`) for some values of a model's frequency tables. */
async function storedFrequencies(
  database: Database,
  model: string,
  values: ReadonlyArray<{ key: string; value: string }>,
): Promise<Array<{ key: string; value: string; count: number }>> {
  const { rows } = await sql<{ key: string; value: string; count: number }>`
    SELECT t.key, t.value, t.count FROM unnest(${values.map((v) => v.key)}::text[], ${values.map((v) => v.value)}::text[]) AS q(key, value)
    JOIN term_frequency t ON t.model = ${model} AND t.key = q.key AND t.value = q.value`.execute(database.db);
  return rows;
}

export interface RealtimeOptions {
  correlationOf?: (recordId: string) => string | null;
  /** Called at the end of each step (neighbourhood, match, plan, write), for profiling. */
  onPhase?: (phase: 'neighbourhood' | 'match' | 'plan' | 'write') => void;
  /**
   * Lock the neighbourhood (PostgreSQL): its golden records, the match-key values and references
   * of the changed records, and the records themselves, so that resolutions of other
   * neighbourhoods of the entity type run at the same time (the caller then holds the entity
   * type's lock shared, see `withEntityLock`); without it the caller holds the lock exclusively.
   */
  lockNeighbourhood?: boolean;
  /**
   * The records' match evidence is known to be what their clusters were resolved with (see
   * `sameEvidence`), at the given version of each (record id -> `source_record.version`): their
   * clusters are kept and only their golden records' survivorship is computed again (no neighbours
   * read, no matching; review queue and record links as they are). When one of them is at another
   * version (another writer stored one meanwhile), deleted or in no golden record, all are resolved
   * in full instead.
   */
  keepClusters?: ReadonlyMap<string, number>;
  /** Called after each read of the neighbourhood, before its golden records are locked: tests. */
  onRead?: () => Promise<void> | void;
  /** Called once the neighbourhood is found (and locked, with `lockNeighbourhood`), before it is resolved: instrumentation and tests. */
  onLocked?: () => Promise<void> | void;
}

/**
 * Resolves the given source records (new, changed or deleted) of one entity type in real time.
 * See `RealtimeResult`.
 */
export async function resolveRecordsNow(
  database: Database,
  entity: EntityType,
  recordIds: readonly string[],
  options: RealtimeOptions = {},
): Promise<RealtimeResult> {
  const empty: RealtimeResult = {
    entity, neighbourhood: 0, movedRecords: [], created: 0, merged: 0, retired: 0, updated: 0, attached: 0, detached: 0, queued: 0, events: 0,
  };
  if (recordIds.length === 0) return empty;

  // 1. The changed records, their golden records, and the golden records of their key candidates
  // (with `lockNeighbourhood`, read under their locks: see `NeighbourhoodLocks`).
  const keep = options.keepClusters !== undefined;
  const locks = options.lockNeighbourhood && database.kind === 'postgres' ? new NeighbourhoodLocks(database, keep) : undefined;
  try {
    const readChanged = () => changedRecords(database, entity, recordIds);
    const readAround = async (changed: RecordRow[]) => {
      const around = keep ? ownClusters(changed) : await neighbourhoodAround(database, entity, changed);
      await options.onRead?.();
      return around;
    };
    const found = locks ? await locks.settle(entity, readChanged, readAround) : await readAround(await readChanged());
    const { changed, seeds } = found;
    if (keep && changed.some((r) => r.deleted || !r.golden_id || options.keepClusters!.get(String(r.id)) !== r.version)) {
      await locks?.release();
      return await resolveRecordsNow(database, entity, recordIds, { ...options, keepClusters: undefined });
    }
    await options.onLocked?.();
    if (changed.length === 0) return empty;
    return await resolveNeighbourhood(database, entity, changed, seeds, options);
  } finally {
    await locks?.release();
  }
}

/** The neighbourhood of records whose clusters are kept: their own golden records. */
function ownClusters(changed: RecordRow[]): Neighbourhood {
  const seeds = new Set<string>();
  for (const r of changed) if (r.golden_id && !r.locked) seeds.add(r.golden_id);
  return { changed, seeds, basis: new Map() };
}

/** Prepares with references as what they name (source and id), not what they resolve to. */
const REFERENCES_AS_NAMED: PrepareContext = { ref: (e, id, source) => `${e}\u0000${source}\u0000${id}`, ownedUnits: () => [] };

/**
 * What resolution reads of a record besides who it is: whether it is deleted, the match model that
 * applies to it, its prepared fields (with references as named: that a reference resolves elsewhere
 * is the redo step's business) and its links to other records. Two versions of a record with the
 * same evidence match every other record alike, so a change between them (an asset's status, a
 * product's unit of measure) leaves every cluster as it is: only golden records change.
 */
function evidenceOf(entity: EntityType, models: readonly ModelEntry[], r: EvidenceVersion): string {
  if (r.deleted) return 'deleted';
  const prepared = prepareRecord(entity, { id: 0, source: r.source, sourceId: r.sourceId, attributes: r.attributes }, REFERENCES_AS_NAMED);
  const links = recordLinks(entity, { recordId: '', source: r.source, sourceId: r.sourceId, attributes: r.attributes, version: 0, updatedAt: null, receivedAt: '', changeSeq: '0' });
  return JSON.stringify([modelFor(models, r.attributes)?.name ?? null, prepared.fields, links]);
}

/**
 * For each pair of versions of one record (before, after), whether the record's match evidence is
 * the same in both (see `evidenceOf`): then `keepClusters` resolves the later one.
 */
export async function sameEvidence(
  database: Database,
  entity: EntityType,
  pairs: ReadonlyArray<readonly [before: EvidenceVersion, after: EvidenceVersion]>,
): Promise<boolean[]> {
  if (pairs.length === 0) return [];
  const models = await realtimeModels(database, entity);
  return pairs.map(([before, after]) => evidenceOf(entity, models, before) === evidenceOf(entity, models, after));
}

/** A version of a source record, as `sameEvidence` compares them. */
export interface EvidenceVersion {
  source: string;
  sourceId: string;
  deleted: boolean;
  attributes: Record<string, unknown>;
}

/**
 * References through which records of an entity type become blocking candidates of each other:
 * the models' blocking rules on the cluster keys of references (`customerKey`, `locationKey`,
 * `productKey`, `assetKeys`). An asset blocks on customer + product + install date and on
 * location + product: records sharing the customer or the location hold every such pair, so
 * the product (thousands of assets share one) is not needed; its `unitKeys` carry the serial,
 * which the serial key finds. A contract blocks on its customer (with a date) and its assets, a
 * location on customer + postal code, a serial on product + manufacture date. A customer's
 * parent makes no candidates. Records sharing any other reference are not fetched: they would
 * only grow the neighbourhood (test: every such blocking rule holds one of these).
 */
export const BLOCKING_RELATIONS: Readonly<Record<EntityType, readonly string[]>> = {
  customer: [],
  product: [],
  serial: ['product'],
  asset: ['customer', 'location'],
  contract: ['customer', 'asset'],
  location: ['customer'],
};

/** The references of the records that make blocking candidates (see `BLOCKING_RELATIONS`). */
function blockingReferences(entity: EntityType, records: readonly RecordRow[]) {
  const relations = BLOCKING_RELATIONS[entity];
  if (relations.length === 0) return [];
  return records
    .filter((r) => !r.deleted && !r.locked)
    .flatMap((r) => recordLinks(entity, toResolutionRecord(r)))
    .filter(([, relation]) => relations.includes(relation));
}

/**
 * A test of whether a record shares a blocking key (of any rule of its model) with one of the
 * given records. References count as equal (every one resolves to the same placeholder): the
 * records tested share a reference with the given ones already, and treating others as equal
 * only lets more records in, never fewer.
 */
function blockingPartners(
  entity: EntityType,
  records: readonly RecordRow[],
  models: readonly ModelEntry[],
): (row: { source: string; source_id: string; attributes: Record<string, unknown> }) => boolean {
  const anyReference: PrepareContext = { ref: () => '*', ownedUnits: () => [] };
  const keysOf = (row: { source: string; source_id: string; attributes: Record<string, unknown> }): string[] => {
    const entry = modelFor(models, row.attributes);
    if (!entry) return [];
    const prepared = prepareRecord(entity, { id: 0, source: row.source, sourceId: row.source_id, attributes: row.attributes }, anyReference);
    return entry.model.blocking.flatMap((rule) => blockingKeys(prepared, rule).map((k) => `${entry.name}\u0000${rule.name}\u0000${k}`));
  };
  const wanted = new Set(records.flatMap(keysOf));
  return (row) => keysOf(row).some((k) => wanted.has(k));
}

/** The records to resolve, with their golden records. */
async function changedRecords(database: Database, entity: EntityType, recordIds: readonly string[]): Promise<RecordRow[]> {
  const { rows } = await sql<RecordRow>`
    SELECT ${RECORD_COLUMNS} FROM source_record s
    LEFT JOIN xref x ON x.record_id = s.id LEFT JOIN golden_record g ON g.id = x.golden_id
    WHERE s.id = ANY(${[...recordIds]}::bigint[]) AND s.entity = ${entity}`.execute(database.db);
  return rows;
}

/** The golden records of the changed records' neighbourhood (see `resolveRecordsNow`). */
async function neighbourhoodAround(database: Database, entity: EntityType, changed: RecordRow[]): Promise<Neighbourhood> {
  const { db } = database;
  const seeds = new Set<string>();
  const basis = new Map<string, string>();
  if (changed.length === 0) return { changed, seeds, basis };
  for (const r of changed) if (r.golden_id && !r.locked) seeds.add(r.golden_id);
  const live = changed.filter((r) => !r.deleted && !r.locked);
  for (const r of await keyNeighbours(database, entity, live)) {
    seeds.add(r.golden_id);
    basis.set(String(r.id), r.golden_id);
  }
  // Records that refer to the same golden records through a reference blocking rules use (assets of
  // one customer, contracts covering one asset) are candidates too when they share a blocking key.
  const references = blockingReferences(entity, live);
  if (references.length > 0) {
    // Arrays, not a VALUES list: the statement is planned the same way (and quickly) whatever the count.
    const column = (k: number) => references.map((r) => r[k]);
    const { rows } = await sql<{ id: string; golden_id: string; source: string; source_id: string; attributes: Record<string, unknown> }>`
      SELECT DISTINCT ON (x2.record_id) x2.record_id AS id, x2.golden_id, s2.source, s2.source_id, s2.attributes
      FROM unnest(${column(1)}::text[], ${column(2)}::text[], ${column(3)}::text[], ${column(4)}::text[]) AS t(relation, target_entity, target_source, target_source_id)
      JOIN xref tx ON tx.entity = t.target_entity AND tx.source = t.target_source AND tx.source_id = t.target_source_id
      JOIN xref tm ON tm.golden_id = tx.golden_id
      JOIN LATERAL (
        SELECT l2.record_id FROM record_link l2
        WHERE l2.target_entity = tm.entity AND l2.target_source = tm.source AND l2.target_source_id = tm.source_id AND l2.relation = t.relation
        LIMIT 200) l2 ON true
      JOIN xref x2 ON x2.record_id = l2.record_id AND x2.entity = ${entity}
      JOIN source_record s2 ON s2.id = l2.record_id AND NOT s2.deleted
      LIMIT 2000`.execute(db);
    // Of the records sharing a reference, those sharing a blocking key with a changed record (an
    // asset's customer, part and install date; a serial's product and manufacture date).
    if (rows.length > 0) {
      const partner = blockingPartners(entity, live, await realtimeModels(database, entity));
      for (const r of rows) {
        if (!partner(r)) continue;
        seeds.add(r.golden_id);
        basis.set(String(r.id), r.golden_id);
      }
    }
  }
  return { changed, seeds, basis };
}

/** Steps 2 and 3 of `resolveRecordsNow`: resolve the neighbourhood of the seeds and write the result. */
async function resolveNeighbourhood(
  database: Database,
  entity: EntityType,
  changed: RecordRow[],
  seeds: Set<string>,
  options: RealtimeOptions,
): Promise<RealtimeResult> {
  const { db } = database;
  // 2. Every live member of those golden records (locked ones stay as they are).
  const { rows: members } = seeds.size === 0 ? { rows: [] as RecordRow[] } : await sql<RecordRow>`
    SELECT ${RECORD_COLUMNS} FROM xref x
    JOIN source_record s ON s.id = x.record_id JOIN golden_record g ON g.id = x.golden_id
    WHERE x.golden_id = ANY(${[...seeds]}::text[]) AND NOT g.locked AND g.status = 'active'`.execute(db);
  const byId = new Map<string, RecordRow>();
  for (const r of [...members, ...changed]) byId.set(String(r.id), r);
  const all = [...byId.values()];
  const live = all.filter((r) => !r.deleted && !r.locked).sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.source_id < b.source_id ? -1 : a.source_id > b.source_id ? 1 : 0));
  const lockedChanged = changed.filter((r) => !r.deleted && r.locked);
  const records = [...live, ...lockedChanged].map(toResolutionRecord);
  const inputs: PrepareInput[] = live.map((r, i) => ({ id: i, source: r.source, sourceId: r.source_id, attributes: r.attributes }));

  const keep = options.keepClusters !== undefined;
  const result = keep ? keptClusters(live) : await matchLive(database, entity, live, inputs, options);
  options.onPhase?.('match');
  const clusters = result.clusters.map((c) => [...c]);
  // A changed record of a locked golden record stays there.
  const lockedClusters = new Map<string, number[]>();
  lockedChanged.forEach((r, k) => {
    const g = r.golden_id!;
    lockedClusters.set(g, [...(lockedClusters.get(g) ?? []), live.length + k]);
  });
  clusters.push(...lockedClusters.values());

  // 3. Golden ids, changes, writes.
  const attachments = new Map<string, { goldenId: string; attachedAt: number }>();
  for (const r of all) if (r.golden_id) attachments.set(String(r.id), { goldenId: r.golden_id, attachedAt: new Date(r.attached_at!).getTime() });
  const goldens = new Map<string, { id: string; createdAt: number }>();
  for (const r of all) if (r.golden_id && r.created_at && (!r.locked || lockedClusters.has(r.golden_id))) goldens.set(r.golden_id, { id: r.golden_id, createdAt: new Date(r.created_at).getTime() });
  const clusterMembers: ClusterMember[][] = clusters.map((members) =>
    members.map((i) => {
      const a = attachments.get(records[i].recordId);
      return { recordId: records[i].recordId, goldenId: a?.goldenId ?? null, attachedAt: a?.attachedAt ?? Number.POSITIVE_INFINITY };
    }),
  );
  // Which clusters get a new golden id depends only on which inherit one: found first, so that only
  // their possible names (from their first record) are looked up among the stored golden records.
  const firstOf = new Map<number, ResolutionRecord>();
  assignGoldenIds(clusterMembers, goldens, (c) => {
    let first = records[clusters[c][0]];
    for (const i of clusters[c]) {
      const r = records[i];
      if (r.source < first.source || (r.source === first.source && r.sourceId < first.sourceId)) first = r;
    }
    firstOf.set(c, first);
    return `\u0000${c}`;
  });
  const candidates = [...firstOf.values()].flatMap((r) => [0, 1, 2, 3].map((k) => goldenIdFor(entity, r.source, r.sourceId, k)));
  const existing = new Set(
    candidates.length === 0 ? [] : (await sql<{ id: string }>`SELECT id FROM golden_record WHERE id = ANY(${candidates}::text[])`.execute(db)).rows.map((r) => r.id),
  );
  const assignment = assignGoldenIds(clusterMembers, goldens, (c, taken) => {
    for (let attempt = 0; ; attempt++) {
      const first = firstOf.get(c)!;
      const id = goldenIdFor(entity, first.source, first.sourceId, attempt);
      if (!taken(id) && !existing.has(id)) return id;
    }
  });

  // Only the changed records count as changed content (their golden records are recomputed).
  let minSeq = BigInt(changed[0].change_seq);
  for (const r of changed) if (BigInt(r.change_seq) < minSeq) minSeq = BigInt(r.change_seq);
  const previousChangeSeq = String(minSeq - 1n);
  const involved = involvedGoldenIds({ entity, records, clusters, assignment, attachments, previousChangeSeq });
  const storedRows = involved.length === 0 ? [] : await db.selectFrom('golden_record').select(['id', 'version', 'status', 'attributes']).where('id', 'in', involved).execute();
  const stored = new Map(storedRows.map((r) => [r.id, { id: r.id, version: r.version, status: r.status, attributes: r.attributes }]));
  const changes = planGoldenChanges({
    entity, records, clusters, assignment, attachments, previousChangeSeq, stored,
    pins: await pinsOf(database, [...new Set([...involved, ...assignment.ids])]),
    clock: systemClock,
  });

  const review: ReviewPairRow[] = result.review.map((p) => {
    let left = records[p.left].recordId;
    let right = records[p.right].recordId;
    if (BigInt(left) > BigInt(right)) [left, right] = [right, left];
    return { left, right, weight: p.weight, probability: p.probability, rule: p.rule ?? null, reason: p.reason, explanation: p.explanation };
  });
  options.onPhase?.('plan');
  const changedIds = changed.map((r) => String(r.id));
  const changedLive = changed.filter((r) => !r.deleted).map(toResolutionRecord);

  // The correlation id of an event: that of a changed record its golden record holds.
  const correlationOf = options.correlationOf;
  const goldenCorrelation = new Map<string, string>();
  if (correlationOf) {
    for (const [recordId, goldenId] of changes.attach) {
      const id = correlationOf(recordId);
      if (id && !goldenCorrelation.has(goldenId)) goldenCorrelation.set(goldenId, id);
    }
    clusters.forEach((members, c) => {
      for (const i of members) {
        const id = correlationOf(records[i].recordId);
        if (id && !goldenCorrelation.has(assignment.ids[c])) goldenCorrelation.set(assignment.ids[c], id);
      }
    });
    for (const r of changed) {
      const id = correlationOf(String(r.id));
      if (id && r.golden_id && !goldenCorrelation.has(r.golden_id)) goldenCorrelation.set(r.golden_id, id);
    }
    for (const m of assignment.merged) if (goldenCorrelation.has(m.winner) && !goldenCorrelation.has(m.loser)) goldenCorrelation.set(m.loser, goldenCorrelation.get(m.winner)!);
  }

  const applied = await applyResolution(database, {
    entity,
    changes,
    assignment,
    review,
    // Kept clusters: the evidence, and so the review pairs and links, are as they were.
    reviewScope: keep ? [] : records.map((r) => r.recordId),
    linkRecords: keep ? [] : changedIds,
    links: keep ? [] : changedLive.flatMap((r) => recordLinks(entity, r)),
    correlationOf: (goldenId) => goldenCorrelation.get(goldenId) ?? null,
  });
  options.onPhase?.('write');
  return {
    ...applied,
    entity,
    neighbourhood: records.length,
    movedRecords: changes.moves.map((m) => m.recordId),
  };
}

/** The live records' clusters as stored (`keepClusters`): one per golden record. */
function keptClusters(live: readonly RecordRow[]): Pick<Awaited<ReturnType<typeof resolveEntity>>, 'clusters' | 'review'> {
  const byGolden = new Map<string, number[]>();
  live.forEach((r, i) => {
    const list = byGolden.get(r.golden_id!);
    if (list) list.push(i);
    else byGolden.set(r.golden_id!, [i]);
  });
  return { clusters: [...byGolden.values()], review: [] };
}

/** Matches the live records of a neighbourhood as a batch run would, under the steward decisions between them. */
async function matchLive(database: Database, entity: EntityType, live: readonly RecordRow[], inputs: PrepareInput[], options: RealtimeOptions) {
  const { db } = database;
  // Steward decisions between records of the neighbourhood.
  const index = new Map(live.map((r, i) => [String(r.id), i]));
  const mustLink: Array<[number, number]> = [];
  const cannotLink: Array<[number, number]> = [];
  if (live.length > 1) {
    const ids = [...index.keys()];
    const decisions = await db
      .selectFrom('steward_decision')
      .select(['kind', 'left_record_id', 'right_record_id'])
      .where('entity', '=', entity)
      .where('active', '=', true)
      .where((eb) => eb.or([eb('left_record_id', 'in', ids), eb('right_record_id', 'in', ids)]))
      .orderBy('id')
      .execute();
    for (const d of decisions) {
      const a = index.get(String(d.left_record_id));
      const b = index.get(String(d.right_record_id));
      if (a !== undefined && b !== undefined) (d.kind === 'must-link' ? mustLink : cannotLink).push([a, b]);
    }
  }

  const context = await contextFor(database, entity, inputs);
  const models = await realtimeModels(database, entity);
  options.onPhase?.('neighbourhood');
  return resolveEntity({
    entity,
    records: inputs,
    context,
    mustLink,
    cannotLink,
    models,
    options: { estimatePrior: false },
    storedFrequencies: (model, values) => storedFrequencies(database, model, values),
  });
}

/**
 * Records of other entity types that refer to the given records (an asset to its customer, a
 * contract to its assets): when those records change golden record, the referrers' evidence
 * changed too and they are resolved again (the redo queue).
 */
export async function referrersOf(database: Database, entity: EntityType, recordIds: readonly string[]): Promise<Map<EntityType, string[]>> {
  const out = new Map<EntityType, string[]>();
  if (recordIds.length === 0) return out;
  const { rows } = await sql<{ entity: EntityType; id: string }>`
    SELECT DISTINCT s.entity, s.id FROM source_record t
    JOIN record_link l ON l.target_entity = t.entity AND l.target_source = t.source AND l.target_source_id = t.source_id
    JOIN source_record s ON s.id = l.record_id AND NOT s.deleted
    WHERE t.id = ANY(${[...recordIds]}::bigint[]) AND t.entity = ${entity} AND s.entity <> ${entity}`.execute(database.db);
  for (const r of rows) out.set(r.entity, [...(out.get(r.entity) ?? []), String(r.id)]);
  return out;
}
