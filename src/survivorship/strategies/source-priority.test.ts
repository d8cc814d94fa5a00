import { describe, expect, it } from 'vitest';
import { candidates, context, rec } from '../test-records';
import { sourcePriority } from './source-priority';

describe('sourcePriority', () => {
  const records = [rec('crm', 'C1', { price: 99 }), rec('erp', 'E1', { price: 120 }), rec('fsm', 'F1', { price: 80 })];

  it('keeps the candidates of the first listed source', () => {
    const { kept, reason } = sourcePriority(['erp', 'crm', 'fsm']).select(candidates(records, 'price'), context());
    expect(kept.map((c) => c.value)).toEqual([120]);
    expect(reason).toBe('source erp ranks 1 of erp > crm > fsm');
  });

  it('falls to the next source when the first has no value', () => {
    const { kept } = sourcePriority(['erp', 'fsm', 'crm']).select(
      candidates([rec('erp', 'E1', { price: null }), ...records.filter((r) => r.source !== 'erp')], 'price'),
      context(),
    );
    expect(kept.map((c) => c.record.source)).toEqual(['fsm']);
  });

  it('keeps every candidate of the winning source (ties for later strategies)', () => {
    const { kept } = sourcePriority(['crm']).select(
      candidates([rec('crm', 'C1', { email: 'a@x.de' }), rec('crm', 'C2', { email: 'b@x.de' }), rec('erp', 'E', { email: 'c@x.de' })], 'email'),
      context(),
    );
    expect(kept.map((c) => c.value)).toEqual(['a@x.de', 'b@x.de']);
  });

  it('ranks unlisted sources last, equal among themselves', () => {
    const { kept, reason } = sourcePriority(['erp']).select(
      candidates([rec('web', 'W', { name: 'a' }), rec('crm', 'C', { name: 'b' })], 'name'),
      context(),
    );
    expect(kept).toHaveLength(2);
    expect(reason).toMatch(/no candidate from a listed source/);
  });
});
