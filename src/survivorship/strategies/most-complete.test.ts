import { describe, expect, it } from 'vitest';
import { candidates, context, rec } from '../test-records';
import { completeness, mostComplete } from './most-complete';

describe('completeness', () => {
  it('counts letters and digits of strings, significant digits of numbers, filled parts of objects', () => {
    expect(completeness('Krüger Maschinenbau GmbH')).toEqual([1, 22]);
    expect(completeness('K.-G.')).toEqual([1, 2]);
    expect(completeness(48.7758)).toEqual([1, 6]);
    expect(completeness(0.05)).toEqual([1, 1]);
    expect(completeness({ street: 'Hauptstr.', city: 'Ulm', postalCode: '' })).toEqual([2, 11]);
    expect(completeness(['a', '', 'bc'])).toEqual([2, 3]);
    expect(completeness(null)).toEqual([0, 0]);
  });
});

describe('mostComplete', () => {
  it("prefers 'Krüger Maschinenbau GmbH' over 'Krueger'", () => {
    const records = [rec('crm', 'C', { name: 'Krueger' }), rec('erp', 'E', { name: 'Krüger Maschinenbau GmbH' })];
    const { kept } = mostComplete().select(candidates(records, 'name'), context());
    expect(kept.map((c) => c.value)).toEqual(['Krüger Maschinenbau GmbH']);
  });

  it('ranks filled parts before characters', () => {
    const records = [
      rec('crm', 'C', { a: { street: 'Hauptstraße Nord-West', city: 'Ulm' } }),
      rec('erp', 'E', { a: { street: 'Hauptstr.', city: 'Ulm', postalCode: '89073' } }),
    ];
    expect(mostComplete().select(candidates(records, 'a'), context()).kept.map((c) => c.record.source)).toEqual(['erp']);
  });

  it('keeps ties', () => {
    const records = [rec('crm', 'C', { name: 'Abc' }), rec('erp', 'E', { name: 'xyz' })];
    expect(mostComplete().select(candidates(records, 'name'), context()).kept).toHaveLength(2);
  });
});
