import { describe, expect, it } from 'vitest';
import { attributeCandidates } from '../candidate';
import { context, rec, shuffled } from '../test-records';
import { aggregateValues } from './aggregate';
import { sourcePriority } from './source-priority';

describe('aggregateValues', () => {
  const records = [
    rec('erp', 'E1', { phone: '+49 711 123456' }),
    rec('crm', 'C1', { phone: ['+49 711 999000', '+49 (711) 123-456'] }),
    rec('fsm', 'F1', { phone: '+49 170 5550101' }),
    rec('fsm', 'F2', { phone: '' }),
  ];

  it('keeps every distinct phone, each with the lineage of a record holding it', () => {
    const { values } = aggregateValues(attributeCandidates(records, 'phone', 'compact', true), [sourcePriority(['crm', 'erp', 'fsm'])], context('phone'));
    // both CRM phones tie on source priority; the tie goes by normalized value
    expect(values.map((v) => v.value)).toEqual(['+49 (711) 123-456', '+49 711 999000', '+49 170 5550101']);
    expect(values.map((v) => [v.lineage.source, v.lineage.sourceId, v.lineage.strategy])).toEqual([
      ['crm', 'C1', 'aggregate'],
      ['crm', 'C1', 'aggregate'],
      ['fsm', 'F1', 'aggregate'],
    ]);
    expect(values[0].lineage.reason).toContain('also from erp/E1');
  });

  it('de-duplicates by normalized form and orders by the following rules', () => {
    const { values } = aggregateValues(attributeCandidates(records, 'phone', 'compact', true), [sourcePriority(['erp', 'fsm', 'crm'])], context('phone'));
    expect(values.map((v) => v.value)).toEqual(['+49 711 123456', '+49 170 5550101', '+49 711 999000']);
    expect(values[0].lineage).toMatchObject({ source: 'erp', sourceId: 'E1', recordId: 'erp:E1', version: 1 });
  });

  it('does not depend on input order', () => {
    const expected = aggregateValues(attributeCandidates(records, 'phone', 'compact', true), [], context('phone'));
    for (let seed = 1; seed <= 5; seed++) {
      expect(aggregateValues(attributeCandidates(shuffled(records, seed), 'phone', 'compact', true), [], context('phone'))).toEqual(expected);
    }
  });
});
