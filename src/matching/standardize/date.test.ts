import { describe, it, expect } from 'vitest';
import { isoDate } from './date';

describe('isoDate: shapes', () => {
  it.each([
    // ISO and year-first
    ['2024-03-05', '2024-03-05'],
    ['2024-3-5', '2024-03-05'],
    ['2024-03-05T23:30:00Z', '2024-03-05'],
    ['2024-03-05T23:30:00+01:00', '2024-03-05'],
    ['2024-03-05 10:15:00', '2024-03-05'],
    ['2024/03/05', '2024-03-05'],
    ['2024.03.05', '2024-03-05'],
    ['20240305', '2024-03-05'],
    ['20240305T101500', '2024-03-05'],
    // dotted day-first
    ['05.03.2024', '2024-03-05'],
    ['5.3.2024', '2024-03-05'],
    ['5. 3. 2024', '2024-03-05'],
    ['05.03.24', '2024-03-05'],
    ['31.12.99', '1999-12-31'],
    ['05.03.2024 14:30', '2024-03-05'],
    // slashes and dashes: day-first unless impossible
    ['05/03/2024', '2024-03-05'],
    ['5/3/2024', '2024-03-05'],
    ['13/03/2024', '2024-03-13'],
    ['12/31/2024', '2024-12-31'],
    ['03/25/2024', '2024-03-25'],
    ['05-03-2024', '2024-03-05'],
    ['05/03/24', '2024-03-05'],
    // .NET JSON
    ['/Date(1709596800000)/', '2024-03-05'],
    ['/Date(1709593200000+0100)/', '2024-03-05'],
    ['/Date(1709683199000-0500)/', '2024-03-05'],
    ['/Date(-86400000)/', '1969-12-31'],
    // month names
    ['5 March 2024', '2024-03-05'],
    ['05-Mar-2024', '2024-03-05'],
    ['05-MAR-24', '2024-03-05'],
    ['March 5, 2024', '2024-03-05'],
    ['Mar 5th 2024', '2024-03-05'],
    ['5. März 2024', '2024-03-05'],
    ['5. Maerz 2024', '2024-03-05'],
    ['5 mars 2024', '2024-03-05'],
    ['5 marzo 2024', '2024-03-05'],
    ['5 de marzo de 2024', '2024-03-05'],
    ['5 maart 2024', '2024-03-05'],
    ['1er janvier 2024', '2024-01-01'],
    ['1 janvier 2024', '2024-01-01'],
    ['17 décembre 2023', '2023-12-17'],
    ['3. Dez. 2023', '2023-12-03'],
  ])('%s -> %s', (input, expected) => {
    expect(isoDate(input)).toBe(expected);
  });

  it('prefers month-first on request', () => {
    expect(isoDate('03/05/2024', { order: 'mdy' })).toBe('2024-03-05');
    expect(isoDate('03/05/2024', { order: 'dmy' })).toBe('2024-05-03');
    expect(isoDate('03/05/2024')).toBe('2024-05-03');
    expect(isoDate('25/03/2024', { order: 'mdy' })).toBe('2024-03-25');
  });

  it('accepts numbers and Date objects', () => {
    expect(isoDate(20240305)).toBe('2024-03-05');
    expect(isoDate(1709596800000)).toBe('2024-03-05');
    expect(isoDate(new Date(Date.UTC(2024, 2, 5, 12)))).toBe('2024-03-05');
  });

  it('handles leap years', () => {
    expect(isoDate('2024-02-29')).toBe('2024-02-29');
    expect(isoDate('2000-02-29')).toBe('2000-02-29');
    expect(isoDate('2023-02-29')).toBeNull();
    expect(isoDate('1900-02-29')).toBeNull();
    expect(isoDate('29.02.2023')).toBeNull();
  });
});

describe('isoDate: invalid input', () => {
  it.each([
    [null], [undefined], [''], ['   '], ['n/a'], ['tomorrow'], ['2024-13-01'], ['2024-04-31'], ['2024-00-10'],
    ['0000-00-00'], ['32.01.2024'], ['13/13/2024'], ['20241305'], ['2024'], ['12345'], ['5 Smarch 2024'],
    ['/Date(abc)/'], ['99/99/99'],
  ])('%s -> null', (input) => {
    expect(isoDate(input)).toBeNull();
  });

  it('rejects invalid numbers and dates', () => {
    expect(isoDate(12345)).toBeNull();
    expect(isoDate(1.5)).toBeNull();
    expect(isoDate(Number.NaN)).toBeNull();
    expect(isoDate(new Date('garbage'))).toBeNull();
  });
});
