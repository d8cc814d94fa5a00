import { describe, expect, it } from 'vitest';
import { isDateTransposed, isPackedDateTransposed, packDate, parseDate } from './dates';

const d = (s: string) => {
  const parsed = parseDate(s);
  if (!parsed) throw new Error(`bad date ${s}`);
  return parsed;
};

describe('dates', () => {
  it('parses real dates only', () => {
    expect(parseDate('1980-02-29')).toMatchObject({ year: 1980, month: 2, day: 29 });
    expect(parseDate('19800229')).toMatchObject({ year: 1980, month: 2, day: 29 });
    expect(parseDate('1981-02-29')).toBeNull();
    expect(parseDate('1981-13-01')).toBeNull();
    expect(parseDate('01.02.1981')).toBeNull();
    expect(d('1970-01-02').days).toBe(1);
    expect(d('1980-03-01').days - d('1980-02-28').days).toBe(2);
  });

  it('recognises swapped day and month', () => {
    expect(isDateTransposed(d('1980-03-04'), d('1980-04-03'))).toBe(true);
    expect(isDateTransposed(d('1980-03-03'), d('1980-03-03'))).toBe(false);
    expect(isDateTransposed(d('1980-03-04'), d('1981-04-03'))).toBe(false);
  });

  it('recognises a one-digit or adjacent-swap year typo', () => {
    expect(isDateTransposed(d('1985-03-04'), d('1986-03-04'))).toBe(true);
    expect(isDateTransposed(d('1985-03-04'), d('1958-03-04'))).toBe(true);
    expect(isDateTransposed(d('1985-03-04'), d('1895-03-04'))).toBe(true);
    expect(isDateTransposed(d('1980-03-04'), d('1991-03-04'))).toBe(false);
    expect(isDateTransposed(d('1985-03-04'), d('1986-03-05'))).toBe(false);
    expect(isDateTransposed(d('1985-03-04'), d('1895-04-03'))).toBe(false);
    expect(isDateTransposed(d('2019-03-04'), d('2091-03-04'))).toBe(true);
  });

  it('packs dates into comparable integers', () => {
    expect(packDate(d('1980-03-01'))).toBe(19800301);
    expect(packDate(d('1980-03-01'))).toBeLessThan(packDate(d('1980-12-31')));
    expect(isPackedDateTransposed(19800304, 19800403)).toBe(true);
    expect(isPackedDateTransposed(19800304, 19800304)).toBe(false);
  });
});
