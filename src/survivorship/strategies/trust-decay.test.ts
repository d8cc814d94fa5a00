import { describe, expect, it } from 'vitest';
import { fixedClock } from '../clock';
import { candidates, daysAgo, rec } from '../test-records';
import { decayPeriodMs, type TrustProfile, trustAt, trustDecay } from './trust-decay';

const DAY = 86_400_000;
const profile = (curve: TrustProfile['curve']): TrustProfile => ({
  maxTrust: 90,
  minTrust: 10,
  decayPeriod: { value: 100, unit: 'days' },
  curve,
});

describe('trustAt', () => {
  it.each([
    // age in days, linear, SIRL, RISL
    [0, 90, 90, 90],
    [25, 70, 85, 55],
    [50, 50, 70, 30],
    [75, 30, 45, 15],
    [100, 10, 10, 10],
    [400, 10, 10, 10],
  ])('at %i days: linear %d, SIRL %d, RISL %d', (age, linear, sirl, risl) => {
    expect(trustAt(profile('linear'), age * DAY)).toBeCloseTo(linear, 9);
    expect(trustAt(profile('SIRL'), age * DAY)).toBeCloseTo(sirl, 9);
    expect(trustAt(profile('RISL'), age * DAY)).toBeCloseTo(risl, 9);
  });

  it('treats a value from the future as brand new', () => {
    expect(trustAt(profile('linear'), -5 * DAY)).toBe(90);
  });

  it('converts decay units (month = 30 days, year = 365 days)', () => {
    expect(decayPeriodMs({ value: 2, unit: 'weeks' })).toBe(14 * DAY);
    expect(decayPeriodMs({ value: 1, unit: 'months' })).toBe(30 * DAY);
    expect(decayPeriodMs({ value: 1, unit: 'years' })).toBe(365 * DAY);
    expect(trustAt({ ...profile('linear'), decayPeriod: { value: 1, unit: 'years' } }, 365 * DAY * 0.5)).toBeCloseTo(50, 9);
  });
});

describe('trustDecay strategy', () => {
  const clock = fixedClock('2026-03-01T00:00:00Z');
  const trust = {
    erp: { maxTrust: 80, minTrust: 40, decayPeriod: { value: 100, unit: 'days' }, curve: 'linear' },
    fsm: { maxTrust: 90, minTrust: 10, decayPeriod: { value: 100, unit: 'days' }, curve: 'RISL' },
  } satisfies Record<string, TrustProfile>;

  it('prefers a fresh value from a less trusted source over a stale one', () => {
    // erp, 50 days: 60; fsm, 10 days: 10 + 80 * 0.81 = 74.8
    const records = [
      rec('erp', 'E', { status: 'active' }, { updatedAt: daysAgo(50) }),
      rec('fsm', 'F', { status: 'decommissioned' }, { updatedAt: daysAgo(10) }),
    ];
    const { kept, reason } = trustDecay(trust).select(candidates(records, 'status'), { attribute: 'status', now: clock.now() });
    expect(kept.map((c) => c.value)).toEqual(['decommissioned']);
    expect(reason).toBe('highest trust 74.80 (fsm, 10.0 days old, next 60.00)');
  });

  it('lets the slowly decaying source win once the other has decayed', () => {
    // erp, 50 days: 60; fsm, 50 days: 30
    const records = [
      rec('erp', 'E', { status: 'active' }, { updatedAt: daysAgo(50) }),
      rec('fsm', 'F', { status: 'decommissioned' }, { updatedAt: daysAgo(50) }),
    ];
    const { kept } = trustDecay(trust).select(candidates(records, 'status'), { attribute: 'status', now: clock.now() });
    expect(kept.map((c) => c.value)).toEqual(['active']);
  });

  it('ages by receivedAt when updatedAt is missing, and gives unknown sources trust 0', () => {
    const records = [
      rec('erp', 'E', { status: 'active' }, { updatedAt: daysAgo(99) }), // 40.4
      rec('fsm', 'F', { status: 'repair' }, { updatedAt: null, receivedAt: daysAgo(60) }), // 10 + 80 * 0.16 = 22.8
      rec('web', 'W', { status: 'new' }, { updatedAt: daysAgo(0) }), // 0
    ];
    const { kept } = trustDecay(trust).select(candidates(records, 'status'), { attribute: 'status', now: clock.now() });
    expect(kept.map((c) => c.value)).toEqual(['active']);
  });
});
