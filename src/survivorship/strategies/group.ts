import { type Candidate, compareCandidates } from '../candidate';
import { decide, type Decision } from '../decide';
import type { SurvivorshipRecord } from '../source-record';
import type { Strategy, StrategyContext } from '../strategy';
import { isEmptyValue, normalizeValue } from '../values';

/** A record's values for the members of a group (empty members left out). */
export type GroupValue = Record<string, unknown>;

/**
 * One candidate per record whose group is non-empty: its value is the object of the record's
 * non-empty member values, its key the normalized object. Candidates never combine records.
 *
 * @example
 * ```ts
 * groupCandidates(records, ['street', 'houseNumber', 'postalCode', 'city'])[0].value;
 * // { street: 'Industriestr.', houseNumber: '12', postalCode: '70565', city: 'Stuttgart' }
 * ```
 */
export function groupCandidates(
  records: readonly SurvivorshipRecord[],
  members: readonly string[],
): Candidate<GroupValue>[] {
  const out: Candidate<GroupValue>[] = [];
  for (const record of records) {
    const value: GroupValue = {};
    for (const member of members) {
      const v = record.attributes[member];
      if (!isEmptyValue(v) && normalizeValue(v) !== '') value[member] = v;
    }
    if (Object.keys(value).length > 0) out.push({ record, value, key: normalizeValue(value) });
  }
  return out.sort(compareCandidates);
}

/**
 * Group survivorship (Reltio `OtherAttributeWinnerCrosswalk`): a set of attributes (street,
 * house number, postal code, city, ...) is taken together from ONE source record, chosen by the
 * group's own strategy list among the records with a non-empty group. A member the chosen record
 * lacks stays empty: it is never filled from another record.
 *
 * @example
 * ```ts
 * const d = surviveGroup(records, ['street', 'city'], [sourcePriority(['erp', 'crm'])], context);
 * d?.winner.value; // { street: 'Industriestr.', city: 'Stuttgart' }, both from the same record
 * ```
 */
export function surviveGroup(
  records: readonly SurvivorshipRecord[],
  members: readonly string[],
  strategies: readonly Strategy[],
  context: StrategyContext,
): Decision<GroupValue> | undefined {
  const candidates = groupCandidates(records, members);
  return candidates.length === 0 ? undefined : decide(candidates, strategies, context);
}
