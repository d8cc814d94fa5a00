import { describe, expect, it } from 'vitest';
import { isEmptyValue, normalizeValue } from './values';

describe('isEmptyValue', () => {
  it('treats null, blank strings, empty arrays and non-finite numbers as empty', () => {
    for (const v of [null, undefined, '', '   ', [], [null, ''], {}, { a: '' }, Number.NaN]) {
      expect(isEmptyValue(v)).toBe(true);
    }
  });
  it('keeps zero, false and real values', () => {
    for (const v of [0, false, 'x', ['a'], { a: 1 }]) expect(isEmptyValue(v)).toBe(false);
  });
});

describe('normalizeValue', () => {
  it('text ignores case and runs of whitespace', () => {
    expect(normalizeValue('  Krüger   Maschinenbau GMBH ')).toBe(normalizeValue('krüger maschinenbau gmbh'));
    expect(normalizeValue('Krüger')).not.toBe(normalizeValue('Krueger'));
  });
  it('compact also drops separators', () => {
    expect(normalizeValue('+49 (711) 123-456', 'compact')).toBe('+49711123456');
    expect(normalizeValue('+49 (711) 123-456')).not.toBe('+49711123456');
  });
  it('exact keeps the value as stored', () => {
    expect(normalizeValue('ABC ', 'exact')).toBe('ABC ');
  });
  it('compares numbers with their string form, arrays as sets, objects by non-empty members', () => {
    expect(normalizeValue(12)).toBe(normalizeValue('12'));
    expect(normalizeValue(['B', 'a'])).toBe(normalizeValue(['A', 'b', '']));
    expect(normalizeValue({ city: 'Ulm', street: '' })).toBe(normalizeValue({ city: 'ULM' }));
  });
  it('gives empty values the empty key', () => {
    expect(normalizeValue('  ')).toBe('');
    expect(normalizeValue('-', 'compact')).toBe('');
  });
});
