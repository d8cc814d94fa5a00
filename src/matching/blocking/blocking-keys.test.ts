import { describe, expect, it } from 'vitest';
import { blockingKeys, keyParts, KEY_SEPARATOR } from './blocking-keys';
import type { PreparedRecord } from './types';

const rec = (fields: PreparedRecord['fields']): PreparedRecord => ({ id: 0, source: 'erp', fields });
const S = KEY_SEPARATOR;

describe('keyParts', () => {
  it('trims strings and drops blank ones', () => {
    expect(keyParts(' 80331 ')).toEqual(['80331']);
    expect(keyParts('')).toEqual([]);
    expect(keyParts('   \t')).toEqual([]);
  });

  it('turns finite numbers into strings and drops non-finite ones', () => {
    expect(keyParts(42)).toEqual(['42']);
    expect(keyParts(0)).toEqual(['0']);
    expect(keyParts(Number.NaN)).toEqual([]);
    expect(keyParts(Number.POSITIVE_INFINITY)).toEqual([]);
  });

  it('dedupes and sorts array elements, dropping blank ones', () => {
    expect(keyParts(['b', ' a', '', 'b ', '  '])).toEqual(['a', 'b']);
    expect(keyParts([])).toEqual([]);
    expect(keyParts(null)).toEqual([]);
    expect(keyParts(undefined)).toEqual([]);
  });
});

describe('blockingKeys', () => {
  it('joins the values of several fields with the separator', () => {
    const keys = blockingKeys(rec({ postcode: '80331', street: 'MARIENPLATZ' }), { name: 'r', on: ['postcode', 'street'] });
    expect(keys).toEqual([`80331${S}MARIENPLATZ`]);
  });

  it('gives no key when any on-field is missing, null or empty', () => {
    const rule = { name: 'r', on: ['postcode', 'street'] };
    expect(blockingKeys(rec({ postcode: '80331' }), rule)).toEqual([]);
    expect(blockingKeys(rec({ postcode: '80331', street: null }), rule)).toEqual([]);
    expect(blockingKeys(rec({ postcode: '80331', street: '  ' }), rule)).toEqual([]);
    expect(blockingKeys(rec({ postcode: [], street: 'X' }), rule)).toEqual([]);
  });

  it('explodes an array field into one key per element', () => {
    const keys = blockingKeys(rec({ emails: ['b@x.de', 'a@x.de'], country: 'DE' }), {
      name: 'r',
      on: ['emails', 'country'],
    });
    expect(keys).toEqual([`a@x.de${S}DE`, `b@x.de${S}DE`]);
  });

  it('builds the cartesian product of several array fields', () => {
    const keys = blockingKeys(rec({ a: ['1', '2'], b: 'x', c: ['p', 'q', 'r'] }), { name: 'r', on: ['a', 'b', 'c'] });
    expect(keys).toEqual([1, 2].flatMap((i) => ['p', 'q', 'r'].map((c) => `${i}${S}x${S}${c}`)));
  });

  it('caps the cartesian product', () => {
    const many = Array.from({ length: 20 }, (_, i) => `v${String(i).padStart(2, '0')}`);
    const keys = blockingKeys(rec({ a: many, b: many }), { name: 'r', on: ['a', 'b'] }, 10);
    expect(keys).toHaveLength(10);
    expect(new Set(keys).size).toBe(10);
    expect(blockingKeys(rec({ a: many }), { name: 'r', on: ['a'] }, 5)).toEqual(many.slice(0, 5));
    // The cap does not hide a missing later field.
    expect(blockingKeys(rec({ a: many, b: null }), { name: 'r', on: ['a', 'b'] }, 10)).toEqual([]);
  });

  it('gives no key for a rule without fields', () => {
    expect(blockingKeys(rec({ a: 'x' }), { name: 'empty', on: [] })).toEqual([]);
  });

  it('does not depend on array element order', () => {
    const rule = { name: 'r', on: ['serials'] };
    expect(blockingKeys(rec({ serials: ['S2', 'S1', 'S3'] }), rule)).toEqual(
      blockingKeys(rec({ serials: ['S3', 'S1', 'S2', 'S1'] }), rule),
    );
  });
});
