import { recordTimestamp } from '../source-record';
import { keepHighest, type Strategy } from '../strategy';

/**
 * The shape of a trust decay curve over the decay period (Informatica MDM):
 * - `linear`: trust falls evenly from max to min;
 * - `SIRL` (slow initial, rapid later): a fresh value stays near max for a while, then drops;
 * - `RISL` (rapid initial, slow later): trust drops soon after a change, then flattens towards min.
 */
export type DecayCurve = 'linear' | 'SIRL' | 'RISL';

export const DECAY_CURVES = ['linear', 'SIRL', 'RISL'] as const satisfies readonly DecayCurve[];

export type DecayUnit = 'hours' | 'days' | 'weeks' | 'months' | 'years';

export const DECAY_UNITS = ['hours', 'days', 'weeks', 'months', 'years'] as const satisfies readonly DecayUnit[];

/**
 * How much one source is trusted for an attribute, on Informatica's 0-100 scale: a value starts at
 * `maxTrust` when it changes and decays along `curve` to `minTrust` over `decayPeriod`.
 */
export interface TrustProfile {
  maxTrust: number;
  minTrust: number;
  decayPeriod: { value: number; unit: DecayUnit };
  curve: DecayCurve;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Calendar-free lengths: a month is 30 days and a year 365 days. */
const UNIT_MS: Record<DecayUnit, number> = {
  hours: HOUR_MS,
  days: DAY_MS,
  weeks: 7 * DAY_MS,
  months: 30 * DAY_MS,
  years: 365 * DAY_MS,
};

/**
 * The decay period in milliseconds.
 *
 * @example
 * ```ts
 * decayPeriodMs({ value: 2, unit: 'weeks' }); // 1209600000
 * ```
 */
export function decayPeriodMs(period: TrustProfile['decayPeriod']): number {
  return period.value * UNIT_MS[period.unit];
}

/**
 * The trust of a value of the given age. With `f` = age / decay period, clamped to [0, 1] (a value
 * from the future counts as brand new, one older than the period sits at min trust):
 * - linear: `max - (max - min) * f`
 * - SIRL:   `max - (max - min) * f²`
 * - RISL:   `min + (max - min) * (1 - f)²`
 *
 * @example
 * ```ts
 * const p = { maxTrust: 90, minTrust: 10, decayPeriod: { value: 100, unit: 'days' }, curve: 'linear' } as const;
 * trustAt(p, 50 * 86_400_000);                     // 50
 * trustAt({ ...p, curve: 'SIRL' }, 50 * 86_400_000); // 70
 * trustAt({ ...p, curve: 'RISL' }, 50 * 86_400_000); // 30
 * ```
 */
export function trustAt(profile: TrustProfile, ageMs: number): number {
  const { maxTrust: max, minTrust: min } = profile;
  const period = decayPeriodMs(profile.decayPeriod);
  const f = Number.isNaN(ageMs) ? 1 : Math.min(1, Math.max(0, ageMs / period));
  switch (profile.curve) {
    case 'linear':
      return max - (max - min) * f;
    case 'SIRL':
      return max - (max - min) * f * f;
    case 'RISL':
      return min + (max - min) * (1 - f) * (1 - f);
  }
}

/**
 * Trust with decay (Informatica "best version of the truth"): each candidate's trust is computed
 * from its source's profile and its age at the clock's now (from `updatedAt`, else `receivedAt`);
 * the highest trust wins. A source without a profile has trust 0.
 *
 * @example
 * ```ts
 * const s = trustDecay({
 *   erp: { maxTrust: 90, minTrust: 60, decayPeriod: { value: 5, unit: 'years' }, curve: 'linear' },
 *   crm: { maxTrust: 80, minTrust: 40, decayPeriod: { value: 2, unit: 'years' }, curve: 'SIRL' },
 * });
 * s.select(candidates, { attribute: 'name', now: clock.now() }).kept;
 * ```
 */
export function trustDecay(profiles: Readonly<Record<string, TrustProfile>>): Strategy {
  return {
    name: 'trustDecay',
    select(candidates, context) {
      const now = context.now.getTime();
      const trustOf = (record: (typeof candidates)[number]['record']): number => {
        const profile = Object.hasOwn(profiles, record.source) ? profiles[record.source] : undefined;
        return profile === undefined ? 0 : trustAt(profile, now - recordTimestamp(record));
      };
      const { kept, best, runnerUp } = keepHighest(candidates, (c) => trustOf(c.record));
      const winner = kept[0].record;
      const ageDays = (now - recordTimestamp(winner)) / DAY_MS;
      const age = Number.isFinite(ageDays) ? `${Math.max(0, ageDays).toFixed(1)} days old` : 'age unknown';
      const next = runnerUp === undefined ? '' : `, next ${runnerUp.toFixed(2)}`;
      return { kept, reason: `highest trust ${best.toFixed(2)} (${winner.source}, ${age}${next})` };
    },
  };
}
