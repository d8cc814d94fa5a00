import { z } from 'zod';
import type { Lineage } from '../golden-attribute';

/**
 * A steward decision on one attribute of one golden record. With `recordId` it is a **pin**: the
 * value of that source record wins (`value`, when given, is the value the steward saw; the pin goes
 * stale when the record no longer holds it). Without `recordId` it is an **override**: `value`,
 * typed by the steward, wins. Either way it beats every strategy; when several decisions target
 * the same attribute, the latest `at` wins.
 *
 * @example
 * ```ts
 * const pin: StewardDecision = { attribute: 'email', recordId: 'r-crm-1', value: 'ops@krueger.de', actor: 'anna', at: '2026-03-02T09:00:00Z' };
 * const override: StewardDecision = { attribute: 'website', value: 'https://krueger.de', actor: 'anna', at: '2026-03-02T09:01:00Z' };
 * ```
 */
export interface StewardDecision {
  attribute: string;
  value?: unknown;
  actor: string;
  /** ISO-8601. */
  at: string;
  recordId?: string;
}

/**
 * Validates steward decisions coming from outside (API, files).
 *
 * @example
 * ```ts
 * stewardDecisionSchema.parse({ attribute: 'email', value: 'a@b.de', actor: 'anna', at: '2026-03-02T09:00:00Z' });
 * ```
 */
export const stewardDecisionSchema = z.strictObject({
  attribute: z.string().min(1),
  value: z.unknown().optional(),
  actor: z.string().min(1),
  at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'at must be an ISO-8601 timestamp'),
  recordId: z.string().min(1).optional(),
});

/** A decision that could not be applied, and why (shown to stewards so they can clean up). */
export interface IgnoredDecision {
  decision: StewardDecision;
  reason: string;
}

export type Applicability<T> = { ok: true; value: T } | { ok: false; reason: string };

function decisionTime(decision: StewardDecision): number {
  const ms = Date.parse(decision.at);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

function compareLatestFirst(a: StewardDecision, b: StewardDecision): number {
  const byTime = decisionTime(b) - decisionTime(a);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  const ka = JSON.stringify([a.actor, a.recordId ?? '', a.attribute, a.value ?? null]);
  const kb = JSON.stringify([b.actor, b.recordId ?? '', b.attribute, b.value ?? null]);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Picks the latest applicable decision: decisions are tried latest `at` first (ties by actor,
 * record, value) through `apply`; the first that applies wins. Every decision that does not apply
 * is returned in `ignored`, superseded ones are not.
 *
 * @example
 * ```ts
 * const { applied, ignored } = latestApplicable(decisions, (d) =>
 *   d.recordId === undefined ? { ok: true, value: d.value } : { ok: false, reason: 'pins not allowed here' });
 * ```
 */
export function latestApplicable<T>(
  decisions: readonly StewardDecision[],
  apply: (decision: StewardDecision) => Applicability<T>,
): { applied?: { decision: StewardDecision; value: T }; ignored: IgnoredDecision[] } {
  let applied: { decision: StewardDecision; value: T } | undefined;
  const ignored: IgnoredDecision[] = [];
  for (const decision of [...decisions].sort(compareLatestFirst)) {
    const result = apply(decision);
    if (!result.ok) ignored.push({ decision, reason: result.reason });
    else if (applied === undefined) applied = { decision, value: result.value };
  }
  return { applied, ignored };
}

/**
 * Whether decision `a` was made at or after decision `b`.
 *
 * @example
 * ```ts
 * isAtOrAfter(memberOverride, groupPin); // the member override is newer: it wins for its member
 * ```
 */
export function isAtOrAfter(a: StewardDecision, b: StewardDecision): boolean {
  return decisionTime(a) >= decisionTime(b);
}

/**
 * The lineage of a steward override: no source record, the steward as source.
 *
 * @example
 * ```ts
 * overrideLineage(decision).source; // 'steward'
 * ```
 */
export function overrideLineage(decision: StewardDecision, group?: string): Lineage {
  const lineage: Lineage = {
    recordId: null,
    source: 'steward',
    sourceId: decision.actor,
    version: null,
    strategy: 'override',
    reason: `set by ${decision.actor} at ${decision.at}`,
    steward: { actor: decision.actor, at: decision.at },
  };
  if (group !== undefined) lineage.group = group;
  return lineage;
}
