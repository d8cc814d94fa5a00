import { describe, expect, it } from 'vitest';
import { patchFor, plusOneYear } from '../../bench/lib/e2e/world';
import { validateCanonical } from '../../src/ingest/canonical-record';

describe('bench:e2e traffic', () => {
  it('renews a contract to the same day a year later, and 29 February to 28 February', () => {
    expect(plusOneYear('2024-06-30')).toBe('2025-06-30');
    expect(plusOneYear('2024-02-29')).toBe('2025-02-28');
    expect(plusOneYear('2023-02-28')).toBe('2024-02-28');
    expect(plusOneYear('not a date')).toBe('not a date');
  });

  it('changes a contract ending on 29 February into a record the hub accepts', () => {
    const contract = { entity: 'contract', source: 'fsm' as const, sourceId: 'k1', contractNumber: 'SC-23-000838', startDate: '2023-03-02', endDate: '2024-02-29' };
    const patch = patchFor(contract, 1, new Map());
    expect(patch).toEqual({ endDate: '2025-02-28' });
    expect(validateCanonical({ ...contract, ...patch }).ok).toBe(true);
  });
});
