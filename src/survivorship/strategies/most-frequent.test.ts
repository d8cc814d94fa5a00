import { describe, expect, it } from 'vitest';
import { candidates, context, rec } from '../test-records';
import { mostFrequent } from './most-frequent';

describe('mostFrequent', () => {
  it('counts values case- and whitespace-insensitively', () => {
    const records = [
      rec('crm', 'C', { city: 'Stutgart' }),
      rec('erp', 'E', { city: 'Stuttgart' }),
      rec('fsm', 'F', { city: ' STUTTGART ' }),
    ];
    const { kept, reason } = mostFrequent().select(candidates(records, 'city'), context());
    expect(kept.map((c) => c.record.source)).toEqual(['erp', 'fsm']);
    expect(reason).toBe('held by 2 of 3 records');
  });

  it('keeps all values when every value is held equally often', () => {
    const records = [rec('crm', 'C', { city: 'Ulm' }), rec('erp', 'E', { city: 'Bonn' })];
    expect(mostFrequent().select(candidates(records, 'city'), context()).kept).toHaveLength(2);
  });
});
