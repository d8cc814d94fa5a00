import { describe, expect, it } from 'vitest';
import { latestApplicable, type StewardDecision, stewardDecisionSchema } from './steward';

const d = (at: string, actor = 'anna', value: unknown = 'x'): StewardDecision => ({ attribute: 'email', value, actor, at });

describe('latestApplicable', () => {
  it('applies the latest decision and reports the inapplicable ones', () => {
    const decisions = [d('2026-01-01T00:00:00Z', 'a', 'old'), d('2026-03-01T00:00:00Z', 'b', ''), d('2026-02-01T00:00:00Z', 'c', 'mid')];
    const { applied, ignored } = latestApplicable(decisions, (x) =>
      x.value === '' ? { ok: false, reason: 'empty' } : { ok: true, value: x.value },
    );
    expect(applied?.value).toBe('mid');
    expect(ignored).toEqual([{ decision: decisions[1], reason: 'empty' }]);
  });

  it('orders decisions made at the same instant deterministically', () => {
    const a = d('2026-01-01T00:00:00Z', 'bob', 'b');
    const b = d('2026-01-01T00:00:00Z', 'anna', 'a');
    const ok = (x: StewardDecision) => ({ ok: true as const, value: x.value });
    expect(latestApplicable([a, b], ok).applied?.value).toBe('a');
    expect(latestApplicable([b, a], ok).applied?.value).toBe('a');
  });
});

describe('stewardDecisionSchema', () => {
  it('accepts pins and overrides and rejects a bad timestamp', () => {
    expect(stewardDecisionSchema.safeParse({ attribute: 'email', recordId: 'r1', actor: 'anna', at: '2026-03-02T09:00:00Z' }).success).toBe(true);
    expect(stewardDecisionSchema.safeParse({ attribute: 'email', value: 'a@b.de', actor: 'anna', at: 'yesterday' }).success).toBe(false);
  });
});
