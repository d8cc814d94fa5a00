import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { ENTITY_ATTRIBUTES, type EntityType } from '../core/entities';
import { systemClock } from '../survivorship';
import { involvedGoldenIds, planGoldenChanges } from './golden-changes';
import type { Database } from '../db/database';
import { NO_REFERENCES, ownedUnitsByCustomer, type PrepareContext, type PrepareInput } from '../matching/prepare';
import { resolveEntity, type ScorePairsExecutor } from '../matching/pipeline';
import { modelsFor, type ModelEntry } from '../matching/models';
import { parseModel } from '../matching/model/schema';
import { applyResolution, type AppliedCounts, type ReviewPairRow } from './apply-resolution';
import { assignGoldenIds, type ClusterMember } from './assign-golden-ids';
import { goldenIdFor } from './golden-id';
import { createScoringPool } from './scoring-pool';
import { type EntityLockTurn, withEntityLock } from './entity-lock';
import { referrersOf, resolveRecordsNow } from './realtime-resolve';
import { PhaseClock, type PhaseFigure } from './resolve-profile';
import { collectGarbage } from '../core/memory';
import {
  lastResolveRun,
  latestModels,
  loadActiveGoldens,
  loadAllGoldenIds,
  loadAttachments,
  loadConstraints,
  loadGoldens,
  loadPins,
  loadLiveRecords,
  loadXrefMap,
  pagesOfLiveRecords,
  maxChangeSeq,
  maxDecisionId,
  type ResolutionRecord,
} from './resolution.repository';

/**
 * Resolution order: an entity type's references are resolved through the clusters of the types
 * before it (assets match on their customer's and product's golden ids).
 */
export const RESOLUTION_ORDER: readonly EntityType[] = ['product', 'customer', 'location', 'serial', 'asset', 'contract'];

export const REFERENCED: Record<EntityType, EntityType[]> = {
  product: [],
  customer: ['customer', 'product'],
  location: ['customer'],
  serial: ['product'],
  asset: ['customer', 'product', 'location'],
  contract: ['customer', 'asset'],
};

export interface ResolveOptions {
  entity?: EntityType;
  /** Resolve even when nothing changed since the last run. */
  force?: boolean;
  onProgress?: (message: string) => void;
  /** Where pair scoring runs (worker threads); default in this thread. */
  scorePairs?: ScorePairsExecutor;
  /** See `ResolutionChanges.inlineRows` (how the writes travel; the rows written are the same). */
  inlineRows?: number;
  /** Recluster the whole entity type even when few records changed (see `incrementalScope`). */
  full?: boolean;
  /** Smallest entity type (records at its last run) resolved incrementally; default 5,000. */
  incrementalMinRecords?: number;
  /** Largest share of an entity type's records resolved incrementally; default 0.05. */
  incrementalMaxShare?: number;
  /** Changed records resolved per transaction of an incremental run (the lock may pass between them); default 250. */
  incrementalChunk?: number;
}

export interface EntityResolveSummary extends AppliedCounts {
  entity: EntityType;
  status: 'resolved' | 'unchanged';
  /** `full`: the whole entity type was clustered; `incremental`: the neighbourhoods of the changes. */
  mode?: 'full' | 'incremental';
  records: number;
  clusters: number;
  candidatePairs: number;
  seconds: number;
  /** Wall time, heap and RSS per phase of the run (see resolve-profile.ts). */
  phases?: PhaseFigure[];
}

function refKey(source: string, sourceId: string): string {
  return `${source}\u0000${sourceId}`;
}

async function resolveOne(database: Database, entity: EntityType, changedUpstream: boolean, options: ResolveOptions, turn: EntityLockTurn): Promise<EntityResolveSummary> {
  const { db } = database;
  const started = performance.now();
  const seq = await maxChangeSeq(db, entity);
  const decision = await maxDecisionId(db, entity);
  const last = await lastResolveRun(db, entity);
  if (!changedUpstream && last !== undefined) changedUpstream = await upstreamChangedSince(database, entity, last.id);
  const unchanged =
    !options.force &&
    !changedUpstream &&
    last !== undefined &&
    last.change_seq === seq &&
    (last.summary?.decisionId ?? '0') === decision;
  const base = { entity, records: 0, clusters: 0, candidatePairs: 0, created: 0, merged: 0, retired: 0, updated: 0, attached: 0, detached: 0, queued: 0, events: 0 };
  // An entity type that never had a record has nothing to resolve.
  if (unchanged || (seq === '0' && last === undefined)) return { ...base, status: 'unchanged', seconds: (performance.now() - started) / 1000 };

  const models = await modelsForRun(database, entity);
  const signature = modelSignature(models);
  const moveWatermark = await maxMoveId(database);
  if (!options.full && !options.force && last !== undefined) {
    const scope = await incrementalScope(database, entity, last, signature, options);
    if (scope) return resolveIncrement(database, entity, { ...scope, seq, decision, signature, moveWatermark, last, started, base, options }, turn);
  }

  const clock = new PhaseClock();
  return recordedRun(database, entity, seq, async () => {
    options.onProgress?.(`${entity}: loading records`);
    // Records of locked golden records keep their golden record: they are left out of matching.
    const lockedRows = await db
      .selectFrom('xref')
      .innerJoin('golden_record', 'golden_record.id', 'xref.golden_id')
      .select(['xref.record_id', 'xref.golden_id'])
      .where('golden_record.entity', '=', entity)
      .where('golden_record.locked', '=', true)
      .execute();
    const lockedOf = new Map(lockedRows.map((r) => [r.record_id, r.golden_id]));
    const input = await loadResolutionInput(database, entity, lockedOf);
    const records = [...input.records, ...input.excluded];
    const large = records.length >= COLLECT_AFTER_RECORDS;
    clock.mark('load records');
    options.onProgress?.(`${entity}: matching ${records.length} records`);
    const result = await resolveEntity({
      entity,
      records: input.prepared,
      context: input.context,
      mustLink: input.mustLink,
      cannotLink: input.cannotLink,
      models,
      scorePairs: options.scorePairs,
      options: { mergedPairs: false },
      onPhase: (phase) => clock.mark(phase),
      // A large type's models each leave pair arrays and prepared records behind.
      betweenModels: large ? collectGarbage : undefined,
      // Stored for real-time resolution, which weighs a neighbourhood's values by them.
      keepFrequencies: true,
    });

    input.prepared = []; // matched: the pipeline's copies of the records are no longer needed
    const lockedClusters = new Map<string, number[]>();
    input.excluded.forEach((r, k) => {
      const g = lockedOf.get(r.recordId)!;
      lockedClusters.set(g, [...(lockedClusters.get(g) ?? []), input.records.length + k]);
    });
    result.clusters.push(...lockedClusters.values());
    options.onProgress?.(`${entity}: writing golden ids`);
    const attachments = await loadAttachments(db, entity);
    const goldens = await loadActiveGoldens(db, entity);
    const allIds = await loadAllGoldenIds(db, entity);
    const clusters: ClusterMember[][] = result.clusters.map((members) =>
      members.map((i) => {
        const recordId = records[i].recordId;
        const a = attachments.get(recordId);
        return { recordId, goldenId: a?.goldenId ?? null, attachedAt: a?.attachedAt ?? Number.POSITIVE_INFINITY };
      }),
    );
    const assignment = assignGoldenIds(clusters, goldens, (c, taken) => {
      // Named after the smallest (source, sourceId) of the founding members: order-independent.
      let first = records[result.clusters[c][0]];
      for (const i of result.clusters[c]) {
        const r = records[i];
        if (r.source < first.source || (r.source === first.source && r.sourceId < first.sourceId)) first = r;
      }
      for (let attempt = 0; ; attempt++) {
        const id = goldenIdFor(entity, first.source, first.sourceId, attempt);
        if (!taken(id) && !allIds.has(id)) return id;
      }
    });

    clock.mark('assign golden ids');
    const previousChangeSeq = last?.change_seq ?? null;
    const involved = involvedGoldenIds({ entity, records, clusters: result.clusters, assignment, attachments, previousChangeSeq });
    const stored = await loadGoldens(db, involved.filter((id) => goldens.has(id)));
    const changes = planGoldenChanges({
      entity,
      records,
      clusters: result.clusters,
      assignment,
      attachments,
      previousChangeSeq,
      stored,
      pins: await loadPins(db, entity),
      clock: systemClock,
      // New golden records are survived as they are written, and their records' values let go then.
      deferNew: true,
      onSurvived: (members) => {
        for (const r of members) r.attributes = RELEASED_ATTRIBUTES;
      },
    });
    clock.mark('plan golden changes');
    const changedRecords = last?.change_seq == null ? records : records.filter((r) => BigInt(r.changeSeq) > BigInt(last.change_seq!));
    const links = changedRecords.flatMap((r) => recordLinks(entity, r));
    const review: ReviewPairRow[] = result.review.map((p) => {
      let left = records[p.left].recordId;
      let right = records[p.right].recordId;
      if (BigInt(left) > BigInt(right)) [left, right] = [right, left];
      return { left, right, weight: p.weight, probability: p.probability, rule: p.rule ?? null, reason: p.reason, explanation: p.explanation };
    });
    // What follows reads only record ids and keys, and the values of the records of new golden
    // records (survived as they are written). The other records' attributes, the pipeline's
    // review list (copied above) and the references are let go before the writes, where a large
    // run reaches its peak memory.
    const createdIds = new Set(assignment.created.map((c) => c.id));
    result.clusters.forEach((members, c) => {
      if (!createdIds.has(assignment.ids[c])) for (const i of members) records[i].attributes = RELEASED_ATTRIBUTES;
    });
    result.review.length = 0;
    input.context = NO_REFERENCES;

    const byRecordId = new Map(records.map((r) => [r.recordId, r]));
    const applied = await applyResolution(database, {
      entity,
      changes,
      assignment,
      review,
      linkRecords: changedRecords.map((r) => r.recordId),
      links,
      recordKey: (recordId) => {
        const r = byRecordId.get(recordId);
        return r ? [r.source, r.sourceId] : undefined;
      },
      inlineRows: options.inlineRows,
      onPhase: (phase) => clock.mark(phase),
      frequencies: { models: models.map((m) => m.name), tables: result.frequencies ?? {} },
    });
    result.frequencies = undefined;
    clock.mark('write: commit');
    if (large) {
      collectGarbage();
      clock.mark('collect garbage');
    }
    const summary: EntityResolveSummary = {
      ...base,
      ...applied,
      status: 'resolved',
      mode: 'full',
      records: records.length,
      clusters: result.clusters.length,
      candidatePairs: Object.values(result.model).reduce((n, m) => n + m.candidatePairs, 0),
      seconds: (performance.now() - started) / 1000,
      phases: clock.phases,
    };
    // The prior each model estimated: real-time resolution of a few records uses it (see realtime-resolve.ts).
    const priors = Object.fromEntries(Object.entries(result.model).map(([name, run]) => [name, run.model.prior]));
    // So are the overlaps between sources it estimated (competition.ts).
    const overlaps = Object.fromEntries(Object.entries(result.model).flatMap(([name, run]) => (run.overlap ? [[name, run.overlap]] : [])));
    // And the number of records with a value per frequency table, which neighbourhoods count against.
    const termFrequencyTotals = Object.fromEntries(Object.entries(result.model).flatMap(([name, run]) => (run.termFrequencyTotals ? [[name, run.termFrequencyTotals]] : [])));
    return { summary, stored: { decisionId: decision, priors, overlaps, termFrequencyTotals, models: signature, moveWatermark } };
  });
}

/**
 * Entity types of at least this many records collect garbage after each model and after their
 * writes (see `collectGarbage`); smaller ones leave it to V8.
 */
const COLLECT_AFTER_RECORDS = 50_000;

/** Stands in for a record's attributes once a run no longer reads them. */
const RELEASED_ATTRIBUTES: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Runs `work` as a `resolve_run` of the entity type covering changes up to `changeSeq`: recorded as
 * succeeded with the summary it returns plus what later runs read (`stored`), or as failed with
 * the error, which is thrown on.
 */
async function recordedRun(
  database: Database,
  entity: EntityType,
  changeSeq: string,
  work: () => Promise<{ summary: EntityResolveSummary; stored: Record<string, unknown> }>,
): Promise<EntityResolveSummary> {
  const { db } = database;
  const run = await db.insertInto('resolve_run').values({ entity, change_seq: changeSeq }).returning('id').executeTakeFirstOrThrow();
  try {
    const { summary, stored } = await work();
    await db
      .updateTable('resolve_run')
      .set({ status: 'succeeded', finished_at: new Date(), summary: JSON.stringify({ ...summary, ...stored }) as never })
      .where('id', '=', run.id)
      .execute();
    return summary;
  } catch (error) {
    await db
      .updateTable('resolve_run')
      .set({ status: 'failed', finished_at: new Date(), error: (error as Error).message })
      .where('id', '=', run.id)
      .execute()
      .catch(() => undefined);
    throw error;
  }
}

/** A digest of the models a run uses: a changed model (shipped or trained) means a full run. */
function modelSignature(models: readonly ModelEntry[]): string {
  return createHash('sha1').update(JSON.stringify(models.map((m) => [m.name, m.model]))).digest('hex');
}

/** The newest cross-reference move: the next run of a referring type looks at moves after it. */
async function maxMoveId(database: Database): Promise<string> {
  const row = await sql<{ id: string | null }>`SELECT max(id)::text AS id FROM xref_move`.execute(database.db);
  return row.rows[0]?.id ?? '0';
}

interface IncrementalScope {
  /** Source records to resolve again: changed since the last run, or referring to records of an upstream type that moved. */
  recordIds: string[];
  /** Records of the entity type at the last run. */
  total: number;
}

/**
 * The records an incremental run resolves, or undefined when the whole entity type must be
 * clustered: the last run did not record what an increment needs (an older run), a model changed,
 * the type is small (under `incrementalMinRecords`: a full run is cheap and is the reference), or
 * too much changed (over `incrementalMaxShare` of its records). An increment resolves the
 * records changed since the last run, those named by steward decisions since then, and those that
 * refer to records of a referenced type that moved golden record since then, by real-time
 * resolution of their neighbourhoods (see `resolveRecordsNow`).
 */
async function incrementalScope(
  database: Database,
  entity: EntityType,
  last: { change_seq: string | null; summary: Record<string, unknown> | null },
  signature: string,
  options: ResolveOptions,
): Promise<IncrementalScope | undefined> {
  const summary = last.summary ?? {};
  const total = Number(summary.records ?? 0);
  const since = typeof summary.moveWatermark === 'string' ? summary.moveWatermark : undefined;
  if (last.change_seq === null || since === undefined || summary.models !== signature) return undefined;
  if (total < (options.incrementalMinRecords ?? 5_000)) return undefined;
  const limit = Math.floor(total * (options.incrementalMaxShare ?? 0.05));
  const { db } = database;
  const ids = new Set<string>();
  const changed = await db
    .selectFrom('source_record')
    .select('id')
    .where('entity', '=', entity)
    .where('change_seq', '>', last.change_seq)
    .limit(limit + 1)
    .execute();
  for (const r of changed) ids.add(String(r.id));
  if (ids.size > limit) return undefined;
  const decisions = await db
    .selectFrom('steward_decision')
    .select(['left_record_id', 'right_record_id'])
    .where('entity', '=', entity)
    .where('id', '>', String(summary.decisionId ?? '0'))
    .execute();
  for (const d of decisions) ids.add(String(d.left_record_id)).add(String(d.right_record_id));
  const upstream = REFERENCED[entity].filter((e) => e !== entity);
  if (upstream.length > 0) {
    const moved = await db
      .selectFrom('xref_move')
      .select(['entity', 'record_id'])
      .distinct()
      .where('id', '>', since)
      .where('entity', 'in', upstream)
      .limit(limit + 1)
      .execute();
    if (moved.length > limit) return undefined;
    const byEntity = new Map<EntityType, string[]>();
    for (const m of moved) byEntity.set(m.entity as EntityType, [...(byEntity.get(m.entity as EntityType) ?? []), String(m.record_id)]);
    for (const [referenced, recordIds] of byEntity) {
      for (const id of (await referrersOf(database, referenced, recordIds)).get(entity) ?? []) ids.add(id);
    }
  }
  if (ids.size > limit) return undefined;
  return { recordIds: [...ids], total };
}

const INCREMENT_CHUNK = 250;

/**
 * Resolves an increment (see `incrementalScope`) in chunks and records it as a run. Each chunk is a
 * transaction of its own, like a real-time resolution; between chunks the entity type's lock goes to
 * whoever waits for it (the inbox worker, a steward action), so an event waits for one chunk rather
 * than for the whole increment.
 */
async function resolveIncrement(
  database: Database,
  entity: EntityType,
  job: IncrementalScope & {
    seq: string;
    decision: string;
    signature: string;
    moveWatermark: string;
    last: { summary: Record<string, unknown> | null };
    started: number;
    base: Omit<EntityResolveSummary, 'status' | 'seconds'>;
    options: ResolveOptions;
  },
  turn: EntityLockTurn,
): Promise<EntityResolveSummary> {
  const { db } = database;
  return recordedRun(database, entity, job.seq, async () => {
    const counts = { created: 0, merged: 0, retired: 0, updated: 0, attached: 0, detached: 0, queued: 0, events: 0 };
    let neighbourhood = 0;
    const size = job.options.incrementalChunk ?? INCREMENT_CHUNK;
    for (let i = 0; i < job.recordIds.length; i += size) {
      if (i > 0) await turn.yield();
      const chunk = job.recordIds.slice(i, i + size);
      job.options.onProgress?.(`${entity}: resolving ${i + chunk.length} of ${job.recordIds.length} changed records incrementally`);
      const result = await resolveRecordsNow(database, entity, chunk);
      neighbourhood += result.neighbourhood;
      for (const k of Object.keys(counts) as Array<keyof typeof counts>) counts[k] += result[k];
    }
    const records = await db.selectFrom('source_record').select((eb) => eb.fn.countAll<string>().as('n')).where('entity', '=', entity).where('deleted', '=', false).executeTakeFirstOrThrow();
    const clusters = await db.selectFrom('golden_record').select((eb) => eb.fn.countAll<string>().as('n')).where('entity', '=', entity).where('status', '=', 'active').executeTakeFirstOrThrow();
    const summary: EntityResolveSummary = {
      ...job.base,
      ...counts,
      status: 'resolved',
      mode: 'incremental',
      records: Number(records.n),
      clusters: Number(clusters.n),
      candidatePairs: 0,
      seconds: (performance.now() - job.started) / 1000,
    };
    const stored = {
      changedRecords: job.recordIds.length,
      neighbourhood,
      decisionId: job.decision,
      // The prior, overlaps and frequency totals of the last full run stay the ones real-time resolution uses.
      priors: (job.last.summary ?? {}).priors,
      overlaps: (job.last.summary ?? {}).overlaps,
      termFrequencyTotals: (job.last.summary ?? {}).termFrequencyTotals,
      models: job.signature,
      moveWatermark: job.moveWatermark,
    };
    return { summary, stored };
  });
}

/** True when a referenced entity type's clusters changed after the given run of this one. */
async function upstreamChangedSince(database: Database, entity: EntityType, runId: string): Promise<boolean> {
  const upstream = REFERENCED[entity].filter((e) => e !== entity);
  if (upstream.length === 0) return false;
  const row = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM resolve_run
    WHERE entity = ANY(${upstream}) AND status = 'succeeded' AND id > ${runId}
      AND COALESCE((summary->>'attached')::int, 0) + COALESCE((summary->>'detached')::int, 0) + COALESCE((summary->>'merged')::int, 0) > 0`.execute(database.db);
  return row.rows[0].n > 0;
}

export interface ResolutionInput {
  records: ResolutionRecord[];
  /** Live records left out of matching (those of locked golden records). */
  excluded: ResolutionRecord[];
  /** The records as the pipeline takes them: `prepared[i].id === i`. */
  prepared: PrepareInput[];
  context: PrepareContext;
  mustLink: Array<[number, number]>;
  cannotLink: Array<[number, number]>;
}

/** Everything the matching pipeline needs for one entity type, read from the database. */
export async function loadResolutionInput(
  database: Database,
  entity: EntityType,
  exclude: ReadonlyMap<string, unknown> = new Map(),
): Promise<ResolutionInput> {
  const { db } = database;
  const all = await loadLiveRecords(db, entity);
  const records = exclude.size === 0 ? all : all.filter((r) => !exclude.has(r.recordId));
  const excluded = exclude.size === 0 ? [] : all.filter((r) => exclude.has(r.recordId));
  const refMaps = new Map<EntityType, Map<string, string>>();
  for (const e of REFERENCED[entity]) if (e !== entity) refMaps.set(e, await loadXrefMap(db, e));
  const context: PrepareContext = {
    ref: (e, sourceId, source) => refMaps.get(e)?.get(refKey(source, sourceId)) ?? null,
  };
  if (entity === 'customer') {
    // Assets page by page: only the units each customer owns are kept, not the asset records.
    const owned = new Map<string, string[]>();
    for await (const page of pagesOfLiveRecords(db, 'asset', 20_000)) {
      for (const [key, units] of ownedUnitsByCustomer(page.map(toPrepareInput), context)) {
        const known = owned.get(key);
        owned.set(key, known ? [...new Set([...known, ...units])].sort() : units);
      }
    }
    context.ownedUnits = (source, sourceId) => owned.get(`${source}\u0000${sourceId}`) ?? [];
  }
  const index = new Map<string, number>();
  records.forEach((r, i) => index.set(r.recordId, i));
  const mustLink: Array<[number, number]> = [];
  const cannotLink: Array<[number, number]> = [];
  for (const c of await loadConstraints(db, entity)) {
    const a = index.get(c.left);
    const b = index.get(c.right);
    if (a === undefined || b === undefined) continue; // a deleted record: nothing to constrain
    (c.kind === 'must-link' ? mustLink : cannotLink).push([a, b]);
  }
  return { records, excluded, prepared: records.map((r, i) => ({ ...toPrepareInput(r), id: i })), context, mustLink, cannotLink };
}

/** The shipped models of an entity type, each replaced by its newest trained version when there is one. */
export async function modelsForRun(database: Database, entity: EntityType): Promise<ModelEntry[]> {
  const trained = await latestModels(database.db, entity);
  return modelsFor(entity).map((entry) => {
    const stored = trained.get(entry.name);
    return stored ? { ...entry, model: parseModel(stored.model) } : entry;
  });
}

const REFERENCE_FIELDS: Array<[field: string, relation: string, target: EntityType]> = [
  ['customerRef', 'customer', 'customer'],
  ['productRef', 'product', 'product'],
  ['locationRef', 'location', 'location'],
  ['parentRef', 'parent', 'customer'],
  ['assetRefs', 'asset', 'asset'],
];

/** The references a source record holds to other records of its source. */
export function recordLinks(entity: EntityType, r: ResolutionRecord): Array<[string, string, string, string, string]> {
  const out: Array<[string, string, string, string, string]> = [];
  const seen = new Set<string>();
  for (const [field, relation, target] of REFERENCE_FIELDS) {
    if (!(field in ENTITY_ATTRIBUTES[entity])) continue;
    const value = r.attributes[field];
    for (const id of Array.isArray(value) ? value : [value]) {
      if (typeof id !== 'string' || id === '' || seen.has(`${relation}\u0000${id}`)) continue;
      seen.add(`${relation}\u0000${id}`);
      out.push([r.recordId, relation, target, r.source, id]);
    }
  }
  return out;
}

function toPrepareInput(r: ResolutionRecord): PrepareInput {
  return { id: 0, source: r.source, sourceId: r.sourceId, attributes: r.attributes };
}

/**
 * Resolves every entity type (or one) whose records, steward decisions or referenced clusters
 * changed since its last run: standardize, block, score, cluster, then keep golden ids stable and
 * write cross-references and the review queue. The whole entity type is clustered again, so the
 * result is the same whether the records came in one file or in ten.
 *
 * @example
 * ```ts
 * const summaries = await resolve(database, { entity: 'customer' });
 * ```
 */
export async function resolve(database: Database, options: ResolveOptions = {}): Promise<EntityResolveSummary[]> {
  const summaries: EntityResolveSummary[] = [];
  const changed = new Set<EntityType>();
  const pool = options.scorePairs ? undefined : createScoringPool();
  options = { ...options, scorePairs: options.scorePairs ?? pool!.scorePairs };
  try {
  for (const entity of RESOLUTION_ORDER) {
    if (options.entity && options.entity !== entity) continue;
    const upstream = REFERENCED[entity].some((e) => e !== entity && changed.has(e));
    const summary = await withEntityLock(database, entity, (turn) => resolveOne(database, entity, upstream, options, turn));
    if (summary.status === 'resolved' && summary.attached + summary.detached + summary.merged > 0) changed.add(entity);
    summaries.push(summary);
  }
  // Statistics for the tables a large full run rewrote, so that the planner of the next (often
  // incremental) run does not take them for what they were before: right after a million-record
  // run, before autovacuum got to them, a neighbourhood query planned on stale statistics ran for
  // more than 15 minutes.
  const written = summaries.reduce((n, s) => n + (s.mode === 'full' ? s.attached + s.detached + s.created + s.updated : 0), 0);
  if (written >= ANALYZE_AFTER_ROWS) {
    options.onProgress?.('updating planner statistics');
    await sql`ANALYZE source_record, xref, golden_record, record_link, xref_move`.execute(database.db);
  }
  } finally {
    await pool?.close();
  }
  return summaries;
}

/** Rows a run writes before the planner statistics of its tables are refreshed at its end. */
const ANALYZE_AFTER_ROWS = 20_000;
