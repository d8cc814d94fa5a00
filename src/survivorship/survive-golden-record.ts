import { ENTITY_ATTRIBUTES } from '../core/entities';
import { attributeCandidates, type Candidate } from './candidate';
import type { Clock } from './clock';
import { REFERENCE_ATTRIBUTES, type SurvivorshipConfig } from './config';
import { decide } from './decide';
import {
  type GoldenAggregate,
  type GoldenAttribute,
  type GoldenValue,
  losersOf,
  recordLineage,
} from './golden-attribute';
import { type AttributePlan, compilePlan, type GroupPlan } from './plan';
import type { SurvivorshipRecord } from './source-record';
import { latestVersions } from './source-record';
import { aggregateValues } from './strategies/aggregate';
import { type GroupValue, groupCandidates } from './strategies/group';
import {
  type Applicability,
  type IgnoredDecision,
  isAtOrAfter,
  latestApplicable,
  overrideLineage,
  type StewardDecision,
} from './strategies/steward';
import type { StrategyContext } from './strategy';
import { isEmptyValue, type NormalizeMode, normalizeValue } from './values';

/**
 * The survived attributes of one golden record, and the steward decisions that could not be
 * applied (a pin on a record that left the golden record or changed its value, an empty override,
 * an unknown attribute), for the steward console.
 */
export interface SurvivorshipResult {
  attributes: Record<string, GoldenAttribute>;
  ignoredDecisions: IgnoredDecision[];
}

function describeRecord(record: SurvivorshipRecord): string {
  return `record ${record.recordId} (${record.source}/${record.sourceId})`;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

function pinLineageExtra(decision: StewardDecision, group?: string) {
  return { steward: { actor: decision.actor, at: decision.at }, ...(group === undefined ? {} : { group }) };
}

function pinReason(decision: StewardDecision): string {
  return `pinned by ${decision.actor} at ${decision.at}`;
}

function applyOverride(decision: StewardDecision): Applicability<unknown> {
  return isEmptyValue(decision.value)
    ? { ok: false, reason: 'override value is empty; empty values never win (pin another value instead)' }
    : { ok: true, value: decision.value };
}

/** The candidates of the pinned record (one, or for an aggregate possibly several). */
function applyPin(
  decision: StewardDecision,
  records: readonly SurvivorshipRecord[],
  candidates: readonly Candidate[],
  mode: NormalizeMode,
): Applicability<Candidate[]> {
  const record = records.find((r) => r.recordId === decision.recordId);
  if (record === undefined) {
    return { ok: false, reason: `record ${decision.recordId} is not among this golden record's source records` };
  }
  const held = candidates.filter((c) => c.record === record);
  if (held.length === 0) return { ok: false, reason: `${describeRecord(record)} has no value for ${decision.attribute}` };
  if (decision.value === undefined) return { ok: true, value: held };
  const wanted = normalizeValue(decision.value, mode);
  const match = held.filter((c) => c.key === wanted);
  if (match.length === 0) {
    const now = held.map((c) => show(c.value)).join(', ');
    return { ok: false, reason: `${describeRecord(record)} now holds ${now}, not the pinned ${show(decision.value)}` };
  }
  return { ok: true, value: match };
}

type GroupChoice = { kind: 'pin'; candidate: Candidate<GroupValue> } | { kind: 'override'; value: GroupValue };

function applyGroupDecision(
  decision: StewardDecision,
  group: GroupPlan,
  records: readonly SurvivorshipRecord[],
  candidates: readonly Candidate<GroupValue>[],
): Applicability<GroupChoice> {
  if (decision.recordId === undefined) {
    const value = decision.value;
    const members = group.members.join(', ');
    if (typeof value !== 'object' || value === null || Array.isArray(value) || isEmptyValue(value)) {
      return { ok: false, reason: `an override of group ${group.name} is an object with some of: ${members}` };
    }
    const unknown = Object.keys(value).filter((k) => !group.members.includes(k));
    if (unknown.length > 0) {
      return { ok: false, reason: `${unknown.join(', ')} not in group ${group.name} (members: ${members})` };
    }
    const kept = Object.fromEntries(Object.entries(value).filter(([, v]) => !isEmptyValue(v)));
    return { ok: true, value: { kind: 'override', value: kept } };
  }
  const record = records.find((r) => r.recordId === decision.recordId);
  if (record === undefined) {
    return { ok: false, reason: `record ${decision.recordId} is not among this golden record's source records` };
  }
  const candidate = candidates.find((c) => c.record === record);
  if (candidate === undefined) return { ok: false, reason: `${describeRecord(record)} has no ${group.name}` };
  if (decision.attribute !== group.name && decision.value !== undefined) {
    const held = candidate.value[decision.attribute];
    if (normalizeValue(held) !== normalizeValue(decision.value)) {
      const now = held === undefined ? 'no value' : show(held);
      return {
        ok: false,
        reason: `${describeRecord(record)} now holds ${now} for ${decision.attribute}, not the pinned ${show(decision.value)}`,
      };
    }
  }
  return { ok: true, value: { kind: 'pin', candidate } };
}

function surviveGroupMembers(
  group: GroupPlan,
  records: readonly SurvivorshipRecord[],
  decisions: readonly StewardDecision[],
  context: StrategyContext,
  out: Map<string, GoldenAttribute>,
  ignored: IgnoredDecision[],
): void {
  const candidates = groupCandidates(records, group.members);
  const groupLevel = decisions.filter(
    (d) => d.attribute === group.name || (d.recordId !== undefined && group.members.includes(d.attribute)),
  );
  const steward = latestApplicable(groupLevel, (d) => applyGroupDecision(d, group, records, candidates));
  ignored.push(...steward.ignored);
  const decision = candidates.length > 0 ? decide(candidates, group.strategies, context) : undefined;

  for (const member of group.members) {
    const overrides = decisions.filter((d) => d.recordId === undefined && d.attribute === member);
    const own = latestApplicable(overrides, applyOverride);
    ignored.push(...own.ignored);
    let golden: GoldenValue | undefined;
    const applied = steward.applied;
    if (own.applied !== undefined && (applied === undefined || isAtOrAfter(own.applied.decision, applied.decision))) {
      golden = { value: own.applied.value, lineage: overrideLineage(own.applied.decision) };
    } else if (applied !== undefined && applied.value.kind === 'pin') {
      const { record, value } = applied.value.candidate;
      if (value[member] !== undefined) {
        const lineage = recordLineage(record, 'pin', pinReason(applied.decision), pinLineageExtra(applied.decision, group.name));
        golden = { value: value[member], lineage };
      }
    } else if (applied !== undefined && applied.value.kind === 'override') {
      const value = applied.value.value[member];
      if (value !== undefined) golden = { value, lineage: overrideLineage(applied.decision, group.name) };
    } else if (decision !== undefined && decision.winner.value[member] !== undefined) {
      const reason = `${group.name} taken whole from one record: ${decision.reason}`;
      const lineage = recordLineage(decision.winner.record, decision.strategy, reason, { group: group.name });
      golden = { value: decision.winner.value[member], lineage };
    }
    if (golden === undefined) continue;
    const losers = losersOf(attributeCandidates(records, member, 'text'), normalizeValue(golden.value));
    if (losers !== undefined) golden.losers = losers;
    out.set(member, golden);
  }
}

function surviveAggregate(
  plan: AttributePlan,
  candidates: readonly Candidate[],
  applied: { decision: StewardDecision; value: unknown } | undefined,
  context: StrategyContext,
): GoldenAggregate | undefined {
  if (applied !== undefined && applied.decision.recordId === undefined) {
    const raw = Array.isArray(applied.value) ? applied.value : [applied.value];
    const seen = new Set<string>();
    const values: GoldenAggregate['values'] = [];
    for (const value of raw) {
      const key = normalizeValue(value, plan.normalize);
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      values.push({ value, lineage: overrideLineage(applied.decision) });
    }
    return { values };
  }
  const pinned = applied === undefined ? [] : (applied.value as Candidate[]);
  const pinnedKeys = new Set(pinned.map((c) => c.key));
  const values: GoldenAggregate['values'] = [];
  for (const c of pinned) {
    if (applied === undefined || values.some((v) => normalizeValue(v.value, plan.normalize) === c.key)) continue;
    const d = applied.decision;
    values.push({ value: c.value, lineage: recordLineage(c.record, 'pin', pinReason(d), pinLineageExtra(d)) });
  }
  const rest = candidates.filter((c) => !pinnedKeys.has(c.key));
  if (rest.length > 0) values.push(...aggregateValues(rest, plan.strategies, context).values);
  return values.length > 0 ? { values } : undefined;
}

function surviveSingle(
  plan: AttributePlan,
  candidates: readonly Candidate[],
  applied: { decision: StewardDecision; value: unknown } | undefined,
  context: StrategyContext,
): GoldenValue | undefined {
  let golden: GoldenValue | undefined;
  let winnerKey: string;
  if (applied !== undefined && applied.decision.recordId === undefined) {
    golden = { value: applied.value, lineage: overrideLineage(applied.decision) };
    winnerKey = normalizeValue(applied.value, plan.normalize);
  } else if (applied !== undefined) {
    const [pinned] = applied.value as Candidate[];
    const d = applied.decision;
    golden = { value: pinned.value, lineage: recordLineage(pinned.record, 'pin', pinReason(d), pinLineageExtra(d)) };
    winnerKey = pinned.key;
  } else if (candidates.length > 0) {
    const d = decide(candidates, plan.strategies, context);
    golden = { value: d.winner.value, lineage: recordLineage(d.winner.record, d.strategy, d.reason) };
    winnerKey = d.winner.key;
  } else {
    return undefined;
  }
  const losers = losersOf(candidates, winnerKey);
  if (losers !== undefined) golden.losers = losers;
  return golden;
}

/**
 * Computes the golden attributes of one golden record from the stored values of its source
 * records, at read/resolve time: nothing is written back, so an unmerge (the same call with fewer
 * records) loses nothing. For each attribute, in this order of precedence:
 * 1. the latest applicable steward decision: an override (typed value) or a pin (a record's value);
 * 2. for a group (e.g. `address`): the whole group from the one record its strategies choose;
 * 3. for an aggregate (e.g. `phone`): every distinct value, ordered by the following rules;
 * 4. otherwise the ordered strategy list; ties left over go to the first by (source, sourceId).
 * Empty values never win; references (`customerRef`, ...) are left out; the result does not
 * depend on the order of `records` or `decisions`.
 *
 * @example
 * ```ts
 * const { attributes } = surviveGoldenRecord(records, DEFAULT_SURVIVORSHIP_CONFIGS.product, [], systemClock);
 * attributes.price; // { value: 1290, lineage: { source: 'erp', strategy: 'sourcePriority', group: 'pricing', ... } }
 * ```
 */
export function surviveGoldenRecord(
  records: readonly SurvivorshipRecord[],
  config: SurvivorshipConfig,
  decisions: readonly StewardDecision[],
  clock: Clock,
): SurvivorshipResult {
  const plan = compilePlan(config);
  const current = latestVersions(records);
  const now = clock.now();
  const out = new Map<string, GoldenAttribute>();
  const ignored: IgnoredDecision[] = [];
  const consumed = new Set<StewardDecision>();

  for (const group of plan.groups) {
    const mine = decisions.filter((d) => d.attribute === group.name || group.members.includes(d.attribute));
    mine.forEach((d) => consumed.add(d));
    surviveGroupMembers(group, current, mine, { attribute: group.name, now }, out, ignored);
  }

  const known = ENTITY_ATTRIBUTES[config.entity];
  const extras = new Set<string>();
  for (const record of current) for (const name of Object.keys(record.attributes)) extras.add(name);
  const names = [...plan.attributeOrder, ...[...extras].filter((n) => !Object.hasOwn(known, n)).sort()].filter(
    (name) => !REFERENCE_ATTRIBUTES.has(name) && !plan.groupOf.has(name),
  );

  for (const name of names) {
    const attributePlan = plan.attribute(name);
    const candidates = attributeCandidates(current, name, attributePlan.normalize, attributePlan.aggregate);
    const mine = decisions.filter((d) => d.attribute === name);
    mine.forEach((d) => consumed.add(d));
    const steward = latestApplicable<unknown>(mine, (d) =>
      d.recordId === undefined ? applyOverride(d) : applyPin(d, current, candidates, attributePlan.normalize),
    );
    ignored.push(...steward.ignored);
    const context = { attribute: name, now };
    const golden = attributePlan.aggregate
      ? surviveAggregate(attributePlan, candidates, steward.applied, context)
      : surviveSingle(attributePlan, candidates, steward.applied, context);
    if (golden !== undefined) out.set(name, golden);
  }

  for (const d of decisions) {
    if (consumed.has(d)) continue;
    const reason = REFERENCE_ATTRIBUTES.has(d.attribute)
      ? `${d.attribute} is a reference: change the relationship, not a survived attribute`
      : `"${d.attribute}" is not a ${config.entity} attribute or group`;
    ignored.push({ decision: d, reason });
  }

  const order = [...plan.attributeOrder, ...[...out.keys()].filter((n) => !plan.attributeOrder.includes(n)).sort()];
  const attributes: Record<string, GoldenAttribute> = {};
  for (const name of order) {
    const golden = out.get(name);
    if (golden !== undefined) attributes[name] = golden;
  }
  const sortKey = (i: IgnoredDecision) => JSON.stringify([i.decision.attribute, i.decision.at, i.decision.actor, i.decision.recordId ?? '', i.reason]);
  ignored.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  return { attributes, ignoredDecisions: ignored };
}
