import type { Candidate } from './candidate';
import type { SurvivorshipRecord } from './source-record';
import type { StrategyName } from './strategy';

/**
 * The rule that produced a golden value: a selection strategy, or
 * - `onlyValue`: every record with a value agrees (or only one has one), nothing to decide;
 * - `tieBreak`: the strategies left several values, the first by (source, sourceId) was taken;
 * - `aggregate`: one of the distinct values of a multi-valued attribute;
 * - `pin` / `override`: a steward decision.
 */
export type LineageStrategy = StrategyName | 'onlyValue' | 'tieBreak' | 'aggregate' | 'pin' | 'override';

/**
 * Where a golden value came from. For an `override` there is no source record: `recordId` and
 * `version` are null, `source` is `'steward'` and `sourceId` the steward's actor id.
 */
export interface Lineage {
  recordId: string | null;
  source: string;
  sourceId: string;
  version: number | null;
  strategy: LineageStrategy;
  reason?: string;
  /** Set when the value was taken with its group (e.g. `address`) from one record. */
  group?: string;
  /** Set for `pin` and `override`: who decided, and when (ISO-8601). */
  steward?: { actor: string; at: string };
}

/** A distinct value that lost, and one record that holds it (the first by source, sourceId). */
export interface Loser {
  value: unknown;
  source: string;
  sourceId: string;
}

/** A single-valued golden attribute. `losers` lists the other distinct values, if any. */
export interface GoldenValue {
  value: unknown;
  lineage: Lineage;
  losers?: Loser[];
}

/** A multi-valued (aggregate) golden attribute: every distinct value, each with its lineage. */
export interface GoldenAggregate {
  values: Array<{ value: unknown; lineage: Lineage }>;
}

export type GoldenAttribute = GoldenValue | GoldenAggregate;

/**
 * Tells an aggregate attribute from a single value.
 *
 * @example
 * ```ts
 * const phone = result.attributes.phone;
 * const phones = isAggregateAttribute(phone) ? phone.values.map((v) => v.value) : [phone.value];
 * ```
 */
export function isAggregateAttribute(attribute: GoldenAttribute): attribute is GoldenAggregate {
  return 'values' in attribute;
}

/**
 * The lineage of a value taken from a source record.
 *
 * @example
 * ```ts
 * recordLineage(record, 'sourcePriority', 'source erp ranks 1 of erp > crm > fsm');
 * ```
 */
export function recordLineage(
  record: SurvivorshipRecord,
  strategy: LineageStrategy,
  reason?: string,
  extra: Pick<Lineage, 'group' | 'steward'> = {},
): Lineage {
  const lineage: Lineage = {
    recordId: record.recordId,
    source: record.source,
    sourceId: record.sourceId,
    version: record.version,
    strategy,
  };
  if (reason !== undefined) lineage.reason = reason;
  if (extra.group !== undefined) lineage.group = extra.group;
  if (extra.steward !== undefined) lineage.steward = extra.steward;
  return lineage;
}

/**
 * The distinct values other than the winner's (by key), each with the first record holding it.
 * Returns undefined when there is none, so the field is left out.
 *
 * @example
 * ```ts
 * losersOf(candidates, winner.key); // [{ value: 'Krueger', source: 'fsm', sourceId: 'A-7' }]
 * ```
 */
export function losersOf(candidates: readonly Candidate[], winnerKey: string): Loser[] | undefined {
  const seen = new Set<string>([winnerKey]);
  const losers: Loser[] = [];
  for (const c of candidates) {
    if (seen.has(c.key)) continue;
    seen.add(c.key);
    losers.push({ value: c.value, source: c.record.source, sourceId: c.record.sourceId });
  }
  return losers.length > 0 ? losers : undefined;
}
