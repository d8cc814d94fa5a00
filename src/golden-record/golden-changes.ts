import type { EntityType } from '../core/entities';
import {
  type Clock,
  DEFAULT_SURVIVORSHIP_CONFIGS,
  type StewardDecision,
  type SurvivorshipConfig,
  surviveGoldenRecord,
  type SurvivorshipResult,
} from '../survivorship';
import type { GoldenAssignment } from './assign-golden-ids';
import type { CurrentAttachment, PinRow, ResolutionRecord, StoredGolden } from './resolution.repository';

/** A golden record's new state, written with a history row. */
export interface GoldenWrite {
  id: string;
  version: number;
  status: 'active' | 'merged' | 'retired';
  mergedInto: string | null;
  splitFrom: string | null;
  /** Set when the attributes were (re)computed; undefined keeps the stored ones (see `survive`). */
  attributes?: Record<string, unknown>;
  /**
   * A new golden record's attributes when they are computed as it is written (`deferNew`), so
   * that a large run does not hold every golden record's attributes and lineage at once.
   */
  survive?: () => Record<string, unknown>;
  members: string[];
  change: string;
  created: boolean;
}

export interface GoldenEvent {
  type: string;
  goldenId: string;
  version: number;
  payload: Record<string, unknown>;
}

export interface XrefMove {
  recordId: string;
  from: string | null;
  to: string | null;
  reason: string;
}

export interface GoldenChangeInput {
  entity: EntityType;
  records: readonly ResolutionRecord[];
  clusters: readonly (readonly number[])[];
  assignment: GoldenAssignment;
  attachments: ReadonlyMap<string, CurrentAttachment>;
  /** change_seq covered by the previous run: records changed after it get their golden recomputed. */
  previousChangeSeq: string | null;
  /** Stored state of every golden id the run may touch (existing ids among clusters, losers, retired, detached). */
  stored: ReadonlyMap<string, StoredGolden>;
  pins: ReadonlyMap<string, PinRow[]>;
  clock: Clock;
  config?: SurvivorshipConfig;
  /**
   * Compute new golden records' attributes when they are written (`GoldenWrite.survive`) instead
   * of now; `onSurvived` is then told each one's members once their values have been read.
   */
  deferNew?: boolean;
  onSurvived?: (members: readonly ResolutionRecord[]) => void;
}

export interface GoldenChanges {
  writes: GoldenWrite[];
  events: GoldenEvent[];
  moves: XrefMove[];
  attach: Array<[string, string]>;
  detach: string[];
}

const keyOf = (r: ResolutionRecord) => `${r.source}|${r.sourceId}`;

function decisionsOf(pins: readonly PinRow[] | undefined): StewardDecision[] {
  return (pins ?? []).map((p) =>
    p.kind === 'pin'
      ? { attribute: p.attribute, actor: p.actor, at: p.at, recordId: p.recordId ?? undefined }
      : { attribute: p.attribute, actor: p.actor, at: p.at, value: p.value },
  );
}

/**
 * The golden attributes of one golden record with the given members: survivorship over their
 * stored source values, with the golden record's steward pins and overrides. Resolution writes
 * what this returns; the merge preview (GraphQL `mergePreview`) shows it before a merge.
 *
 * @example
 * ```ts
 * const { attributes, ignoredDecisions } = surviveMembers(members, DEFAULT_SURVIVORSHIP_CONFIGS.customer, pins.get(goldenId), systemClock);
 * ```
 */
export function surviveMembers(
  members: readonly ResolutionRecord[],
  config: SurvivorshipConfig,
  pins: readonly PinRow[] | undefined,
  clock: Clock,
): SurvivorshipResult {
  return surviveGoldenRecord(
    members.map((r) => ({ recordId: r.recordId, source: r.source, sourceId: r.sourceId, version: r.version, updatedAt: r.updatedAt, receivedAt: r.receivedAt, attributes: r.attributes })),
    config,
    decisionsOf(pins),
    clock,
  );
}

/** Names of the attributes whose golden value differs between two attribute maps. */
export function changedAttributes(before: Record<string, unknown> | null | undefined, after: Record<string, unknown>): string[] {
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  const value = (a: unknown) => JSON.stringify((a as { value?: unknown; values?: Array<{ value: unknown }> } | undefined)?.value ?? (a as { values?: Array<{ value: unknown }> } | undefined)?.values?.map((v) => v.value) ?? null);
  return [...names].filter((n) => value(before?.[n]) !== value(after[n])).sort();
}

/**
 * Turns a resolution's golden id assignment into the writes of golden records (attributes by
 * survivorship from the stored source values, a new version and a history row for every golden
 * record that changed), cross-reference moves, and change events for the outbox.
 * A golden record's version moves once per resolution, whatever changed.
 */
export function planGoldenChanges(input: GoldenChangeInput): GoldenChanges {
  const { records, clusters, assignment, attachments, stored } = input;
  const config = input.config ?? DEFAULT_SURVIVORSHIP_CONFIGS[input.entity];
  const previous = input.previousChangeSeq === null ? null : BigInt(input.previousChangeSeq);
  const created = new Map(assignment.created.map((c) => [c.id, c]));
  const losersOf = new Map<string, string[]>();
  for (const m of assignment.merged) losersOf.set(m.winner, [...(losersOf.get(m.winner) ?? []), m.loser]);
  const splitsOf = new Map<string, string[]>();
  for (const c of assignment.created) if (c.splitFrom) splitsOf.set(c.splitFrom, [...(splitsOf.get(c.splitFrom) ?? []), c.id]);

  const moves: XrefMove[] = [];
  const attach: Array<[string, string]> = [];
  const detach: string[] = [];
  const membershipChanged = new Set<string>();
  const live = new Set<string>();
  clusters.forEach((members, c) => {
    const goldenId = assignment.ids[c];
    for (const i of members) {
      const r = records[i];
      live.add(r.recordId);
      const from = attachments.get(r.recordId)?.goldenId ?? null;
      if (from !== goldenId) {
        attach.push([r.recordId, goldenId]);
        moves.push({ recordId: r.recordId, from, to: goldenId, reason: from === null ? 'new' : 'resolve' });
        membershipChanged.add(goldenId);
        if (from) membershipChanged.add(from);
      }
    }
  });
  for (const [recordId, a] of attachments) {
    if (!live.has(recordId)) {
      detach.push(recordId);
      moves.push({ recordId, from: a.goldenId, to: null, reason: 'deleted' });
      membershipChanged.add(a.goldenId);
    }
  }

  const writes: GoldenWrite[] = [];
  const events: GoldenEvent[] = [];
  const versionOf = new Map<string, number>();
  const now = input.clock.now().toISOString();

  clusters.forEach((members, c) => {
    const id = assignment.ids[c];
    const isNew = created.has(id);
    const contentChanged = previous === null || members.some((i) => BigInt(records[i].changeSeq) > previous);
    const merged = losersOf.get(id);
    if (!isNew && !contentChanged && !membershipChanged.has(id) && !merged) return;
    const memberRecords = members.map((i) => records[i]);
    const pins = input.pins.get(id);
    const survive = () => surviveMembers(memberRecords, config, pins, input.clock).attributes as Record<string, unknown>;
    if (isNew) {
      // Nothing below reads a new golden record's attributes: with `deferNew` they are computed when it is written.
      const { splitFrom } = created.get(id)!;
      const keys = memberRecords.map(keyOf).sort();
      versionOf.set(id, 1);
      const attributes = input.deferNew
        ? {
            survive: () => {
              const survived = survive();
              input.onSurvived?.(memberRecords);
              return survived;
            },
          }
        : { attributes: survive() };
      writes.push({ id, version: 1, status: 'active', mergedInto: null, splitFrom, ...attributes, members: keys, change: splitFrom ? 'split' : 'created', created: true });
      events.push({ type: 'golden.created', goldenId: id, version: 1, payload: { splitFrom, members: keys } });
      return;
    }
    const attributes = survive();
    const before = stored.get(id);
    const changed = changedAttributes(before?.attributes, attributes);
    if (!membershipChanged.has(id) && !merged && changed.length === 0) return;
    const version = (before?.version ?? 0) + 1;
    versionOf.set(id, version);
    const splits = splitsOf.get(id);
    writes.push({
      id, version, status: 'active', mergedInto: null, splitFrom: null,
      attributes, members: memberRecords.map(keyOf).sort(), change: merged ? 'merged' : splits ? 'split' : 'updated', created: false,
    });
    if (merged) events.push({ type: 'golden.merged', goldenId: id, version, payload: { winner: id, losers: merged } });
    if (splits) events.push({ type: 'golden.split', goldenId: id, version, payload: { newIds: splits } });
    if (changed.length > 0) events.push({ type: 'golden.updated', goldenId: id, version, payload: { changedAttributes: changed } });
  });

  for (const { loser, winner } of assignment.merged) {
    const version = (stored.get(loser)?.version ?? 0) + 1;
    versionOf.set(loser, version);
    writes.push({ id: loser, version, status: 'merged', mergedInto: winner, splitFrom: null, members: [], change: 'merged', created: false });
    events.push({ type: 'golden.redirected', goldenId: loser, version, payload: { to: winner } });
  }
  for (const id of assignment.retired) {
    const version = (stored.get(id)?.version ?? 0) + 1;
    versionOf.set(id, version);
    writes.push({ id, version, status: 'retired', mergedInto: null, splitFrom: null, members: [], change: 'retired', created: false });
    events.push({ type: 'golden.retired', goldenId: id, version, payload: {} });
  }

  const recordById = new Map(records.map((r) => [r.recordId, r]));
  for (const m of moves) {
    if (m.reason === 'new') continue; // a new record is part of its golden record's created/updated event
    const under = m.to ?? m.from!;
    const r = recordById.get(m.recordId);
    events.push({
      type: 'xref.moved', goldenId: under, version: versionOf.get(under) ?? stored.get(under)?.version ?? 1,
      payload: { recordId: m.recordId, source: r?.source ?? null, sourceId: r?.sourceId ?? null, from: m.from, to: m.to, reason: m.reason, at: now },
    });
  }
  return { writes, events, moves, attach, detach };
}

/**
 * The existing golden ids a resolution may change: those of clusters whose members changed
 * content or golden record, merge winners and losers, retired ones, and those losing members.
 * Only their stored state needs loading.
 */
export function involvedGoldenIds(input: Omit<GoldenChangeInput, 'stored' | 'pins' | 'clock' | 'config'>): string[] {
  const { records, clusters, assignment, attachments } = input;
  const previous = input.previousChangeSeq === null ? null : BigInt(input.previousChangeSeq);
  const ids = new Set<string>([...assignment.merged.flatMap((m) => [m.winner, m.loser]), ...assignment.retired]);
  const live = new Set<string>();
  clusters.forEach((members, c) => {
    const id = assignment.ids[c];
    for (const i of members) {
      const r = records[i];
      live.add(r.recordId);
      const from = attachments.get(r.recordId)?.goldenId ?? null;
      if (from !== id) {
        ids.add(id);
        if (from) ids.add(from);
      } else if (previous === null || BigInt(r.changeSeq) > previous) ids.add(id);
    }
  });
  for (const [recordId, a] of attachments) if (!live.has(recordId)) ids.add(a.goldenId);
  return [...ids];
}
