import type { Kysely } from 'kysely';
import type { EntityType } from '../core/entities';
import type { DB } from '../db/schema';
import { assignGoldenIds } from '../golden-record/assign-golden-ids';
import { changedAttributes, surviveMembers } from '../golden-record/golden-changes';
import { loadPins, type ResolutionRecord } from '../golden-record/resolution.repository';
import { type Clock, DEFAULT_SURVIVORSHIP_CONFIGS, type GoldenAttribute, systemClock } from '../survivorship';
import { pairsByIds } from './match-queue.service';

/**
 * The golden record a steward merge would produce, computed without writing anything: the
 * surviving id (the oldest golden record, by the same `assignGoldenIds` a resolution runs), and
 * the attributes with lineage by the same survivorship call resolution makes after the merge
 * (`surviveMembers` over the live source records of every merged golden record, with the
 * survivor's steward pins).
 *
 * @example
 * ```ts
 * const r = await previewMerge(db, ['G-6N803N102KCDN', 'G-1C4QH7Z0B2M9V']);
 * if (r.kind === 'success') r.preview.survivorId; // the older of the two
 * ```
 */
export interface MergePreview {
  entity: EntityType;
  /** The golden ids asked for, without repeats, in the order given. */
  goldenIds: string[];
  /** The id that survives the merge (the oldest golden record). */
  survivorId: string;
  /** The ids that would redirect to the survivor. */
  redirectedIds: string[];
  /** The golden attributes after the merge, as survivorship stores them (value and lineage). */
  attributes: Record<string, GoldenAttribute>;
  /** The golden records as they are now. */
  current: Array<{ goldenId: string; version: number; locked: boolean; attributes: Record<string, unknown> | null }>;
  /** Per current golden id: the attributes whose value the merge changes (`changedAttributes`). */
  changed: Record<string, string[]>;
  /** Source records of the merged golden record (live ones; record ids). */
  memberRecordIds: string[];
  /** Why the merge itself would be refused (a locked golden record); null when it would go ahead. */
  blockedBy: string | null;
  /** What else a steward should know: pins that would not carry over or not apply. */
  notes: string[];
}

export type MergePreviewResult =
  | { kind: 'success'; preview: MergePreview }
  | { kind: 'notFound'; message: string }
  | { kind: 'invalid'; message: string };

interface GoldenRow {
  id: string;
  entity: string;
  status: string;
  merged_into: string | null;
  version: number;
  locked: boolean;
  attributes: Record<string, unknown> | null;
  created_at: Date;
}

/** Live source records of the golden records, as resolution reads them (`loadLiveRecords`). */
async function liveMembers(db: Kysely<DB>, goldenIds: readonly string[]): Promise<Array<ResolutionRecord & { goldenId: string; attachedAt: number }>> {
  const rows = await db
    .selectFrom('xref as x')
    .innerJoin('source_record as s', 's.id', 'x.record_id')
    .select(['s.id', 's.source', 's.source_id', 's.attributes', 's.version', 's.updated_at', 's.last_seen_at', 's.change_seq', 'x.golden_id', 'x.attached_at'])
    .where('x.golden_id', 'in', [...goldenIds])
    .where('s.deleted', '=', false)
    .orderBy('s.source')
    .orderBy('s.source_id')
    .execute();
  return rows.map((r) => ({
    recordId: String(r.id),
    source: r.source,
    sourceId: r.source_id,
    attributes: r.attributes,
    version: r.version,
    updatedAt: r.updated_at ? new Date(r.updated_at).toISOString() : null,
    receivedAt: new Date(r.last_seen_at).toISOString(),
    changeSeq: String(r.change_seq),
    goldenId: r.golden_id,
    attachedAt: new Date(r.attached_at).getTime(),
  }));
}

/**
 * Previews a merge of golden records. Refuses what the merge refuses (fewer than two different
 * ids, unknown ids, records no longer active, different entity types, a record without source
 * records); a locked record still gets a preview, with `blockedBy` saying the merge is refused.
 */
export async function previewMerge(db: Kysely<DB>, goldenIds: readonly string[], clock: Clock = systemClock): Promise<MergePreviewResult> {
  const ids = [...new Set(goldenIds)];
  if (ids.length < 2) return { kind: 'invalid', message: 'a merge needs at least two different golden records' };
  const rows = (await db
    .selectFrom('golden_record')
    .select(['id', 'entity', 'status', 'merged_into', 'version', 'locked', 'attributes', 'created_at'])
    .where('id', 'in', ids)
    .execute()) as GoldenRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) return { kind: 'notFound', message: `golden record ${id} does not exist` };
    if (row.status !== 'active') {
      return {
        kind: 'invalid',
        message: `golden record ${id} is ${row.status}${row.merged_into ? ` into ${row.merged_into}` : ''}; preview the record it now belongs to`,
      };
    }
  }
  const entities = new Set(rows.map((r) => r.entity));
  if (entities.size > 1) return { kind: 'invalid', message: `golden records of different entity types (${[...entities].join(', ')}) cannot be combined` };
  const entity = rows[0].entity as EntityType;

  const members = await liveMembers(db, ids);
  const empty = ids.find((id) => !members.some((m) => m.goldenId === id));
  if (empty) return { kind: 'invalid', message: `golden record ${empty} has no live source records and cannot be merged` };

  // The merged cluster inherits every id; the same assignment a resolution makes picks the survivor.
  const assignment = assignGoldenIds(
    [members.map((m) => ({ recordId: m.recordId, goldenId: m.goldenId, attachedAt: m.attachedAt }))],
    new Map(rows.map((r) => [r.id, { id: r.id, createdAt: new Date(r.created_at).getTime() }])),
    () => {
      throw new Error('a merge preview never creates a golden id');
    },
  );
  const survivorId = assignment.ids[0];

  const pins = await loadPins(db, entity);
  const { attributes, ignoredDecisions } = surviveMembers(members, DEFAULT_SURVIVORSHIP_CONFIGS[entity], pins.get(survivorId), clock);

  const notes: string[] = [];
  for (const id of ids) {
    if (id === survivorId) continue;
    for (const pin of pins.get(id) ?? []) {
      notes.push(`the ${pin.kind} of ${pin.attribute} on ${id} (by ${pin.actor}) does not carry over: only ${survivorId}'s pins and overrides apply after the merge`);
    }
  }
  for (const ignored of ignoredDecisions) notes.push(`the pin of ${ignored.decision.attribute} by ${ignored.decision.actor} on ${survivorId} is ignored: ${ignored.reason}`);
  const locked = ids.map((id) => byId.get(id)!).find((r) => r.locked);

  const current = ids.map((id) => {
    const row = byId.get(id)!;
    return { goldenId: id, version: row.version, locked: row.locked, attributes: row.attributes };
  });
  return {
    kind: 'success',
    preview: {
      entity,
      goldenIds: ids,
      survivorId,
      redirectedIds: assignment.merged.map((m) => m.loser),
      attributes,
      current,
      changed: Object.fromEntries(current.map((c) => [c.goldenId, changedAttributes(c.attributes, attributes)])),
      memberRecordIds: members.map((m) => m.recordId),
      blockedBy: locked ? `golden record ${locked.id} is locked; unlock it first` : null,
      notes,
    },
  };
}

/**
 * Previews the merge a match-queue pair's MERGE decision makes: the golden records of its two
 * source records. Invalid when both are already in one golden record (merging changes nothing).
 */
export async function previewPairMerge(db: Kysely<DB>, pairId: string, clock: Clock = systemClock): Promise<MergePreviewResult> {
  const [pair] = /^\d{1,18}$/.test(pairId) ? await pairsByIds(db, [pairId]) : [];
  if (!pair) return { kind: 'notFound', message: `match pair ${pairId} does not exist` };
  const rows = await db.selectFrom('xref').select(['record_id', 'golden_id']).where('record_id', 'in', [pair.leftRecordId, pair.rightRecordId]).execute();
  const goldenOf = new Map(rows.map((r) => [String(r.record_id), r.golden_id]));
  const left = goldenOf.get(pair.leftRecordId);
  const right = goldenOf.get(pair.rightRecordId);
  if (!left || !right) return { kind: 'notFound', message: `a source record of match pair ${pairId} is no longer attached to a golden record` };
  if (left === right) return { kind: 'invalid', message: `both records of match pair ${pairId} are already in golden record ${left}; a merge changes nothing` };
  return previewMerge(db, [left, right], clock);
}
