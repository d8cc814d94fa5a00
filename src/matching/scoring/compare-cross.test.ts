import { describe, expect, it } from 'vitest';
import { comparisonSchema, parseModel } from '../model/schema';
import type { PreparedRecord } from '../model/prepared-record';
import { comparisonLevel } from './compare';
import { nameNumbers } from '../prepare/product';
import { modelNumbers } from '../prepare/model-numbers';
import { competitionAdjustments } from '../pipeline/competition';

type Fields = PreparedRecord['fields'];
let nextId = 0;
const rec = (fields: Fields): PreparedRecord => ({ id: nextId++, source: 'test', fields });
const comparison = (levels: unknown[], fields: string[]) =>
  comparisonSchema.parse({ name: 'c', fields, levels: [{ kind: 'null' }, ...levels, { kind: 'else' }] });

describe('cross level', () => {
  const c = comparison([{ kind: 'exact' }, { kind: 'cross', min: 0.9 }], ['given', 'family']);
  it("matches one record's first field with the other's second, either way", () => {
    expect(comparisonLevel(c, rec({ given: 'barker', family: 'matilda' }), rec({ given: 'matilda' }))).toBe(2);
    expect(comparisonLevel(c, rec({ given: 'matilda' }), rec({ given: 'barker', family: 'matilda' }))).toBe(2);
    expect(comparisonLevel(c, rec({ given: 'kelyl' }), rec({ given: 'alfie', family: 'kelly' }))).toBe(2);
    expect(comparisonLevel(c, rec({ given: 'anna', family: 'weber' }), rec({ given: 'jonas', family: 'meier' }))).toBe(3);
  });
  it('without min needs equality', () => {
    const strict = comparison([{ kind: 'cross' }], ['given', 'family']);
    expect(comparisonLevel(strict, rec({ given: 'kelyl' }), rec({ given: 'alfie', family: 'kelly' }))).toBe(2);
    expect(comparisonLevel(strict, rec({ given: 'kelly' }), rec({ given: 'alfie', family: 'kelly' }))).toBe(1);
  });
  it('needs two fields', () => {
    const model = (fields: string[]) => ({
      entity: 'customer',
      version: 1,
      prior: 0.001,
      thresholds: { autoMerge: { matchWeight: 6 }, review: { matchWeight: 0 } },
      comparisons: [{ name: 'c', fields, levels: [{ kind: 'null' }, { kind: 'cross' }, { kind: 'else' }] }],
    });
    expect(() => parseModel(model(['given']))).toThrow();
    expect(() => parseModel(model(['given', 'family']))).not.toThrow();
  });
});

describe('crossIn and absent levels', () => {
  const c = comparison(
    [{ kind: 'crossIn' }, { kind: 'absent', field: 'maker' }],
    ['name', 'maker'],
  );
  it("finds one record's manufacturer among the other's name tokens", () => {
    expect(comparisonLevel(c, rec({ name: ['basics', 'guitar'], maker: 'emedia' }), rec({ name: ['basics', 'emedia', 'guitar'] }))).toBe(1);
    expect(comparisonLevel(c, rec({ name: ['basics', 'emedia', 'guitar'] }), rec({ name: ['basics', 'guitar'], maker: 'emedia' }))).toBe(1);
  });
  it('is neutral-able when neither has the field, else otherwise', () => {
    expect(comparisonLevel(c, rec({ name: ['a'] }), rec({ name: ['a'] }))).toBe(2);
    expect(comparisonLevel(c, rec({ name: ['a'], maker: 'x' }), rec({ name: ['a'] }))).toBe(3);
  });
});

describe('dateParts level', () => {
  const c = comparison([{ kind: 'exact' }, { kind: 'dateParts', parts: ['month', 'day'] }, { kind: 'dateParts', parts: ['year'] }], ['dob']);
  it('compares only the listed parts', () => {
    expect(comparisonLevel(c, rec({ dob: '2008-08-27' }), rec({ dob: '2018-08-27' }))).toBe(2);
    expect(comparisonLevel(c, rec({ dob: '2008-08-27' }), rec({ dob: '2008-03-01' }))).toBe(3);
    expect(comparisonLevel(c, rec({ dob: '2008-08-27' }), rec({ dob: '1990-03-01' }))).toBe(4);
  });
});

describe('product name numbers and model numbers', () => {
  it('keeps standalone numbers, drops zero decimals', () => {
    expect(nameNumbers('Pitstop Pro 7.0 upgr - 5.x or below')).toEqual(['5', '7']);
    expect(nameNumbers('Office 2004 (Mac)')).toEqual(['2004']);
    expect(nameNumbers('Photoshop CS2 v3.0c')).toBeNull();
  });
  it('does not take ordinals for model numbers', () => {
    expect(modelNumbers('Apple 8GB 4th Generation iPod Nano - MB598LLA')).toEqual(['mb598lla']);
  });
});

describe('competition within one source', () => {
  it('caps two records of one source whose confident partners elsewhere differ', () => {
    // a0, a1 in source 0 (a variant pair at 9); b2, b3 in source 1; a0-b2 20, a1-b3 20, b2-b3 2.
    const adjust = competitionAdjustments({
      source: Int32Array.of(0, 0, 1, 1),
      left: Int32Array.of(0, 0, 1, 2),
      right: Int32Array.of(1, 2, 3, 3),
      weight: Float64Array.of(9, 20, 20, 2),
      count: 4,
      thresholds: { autoMerge: 6, review: 0 },
    });
    expect(adjust[0]).toBeCloseTo(7); // 9 -> 2, the partners' pair
    expect(adjust[1]).toBe(0);
    expect(adjust[2]).toBe(0);
  });
  it('leaves a pair alone when both records share the partner', () => {
    const adjust = competitionAdjustments({
      source: Int32Array.of(0, 0, 1),
      left: Int32Array.of(0, 0, 1),
      right: Int32Array.of(1, 2, 2),
      weight: Float64Array.of(9, 20, 18),
      count: 3,
      thresholds: { autoMerge: 6, review: 0 },
    });
    expect(adjust[0]).toBe(0);
  });
});
