import { describe, it, expect } from 'vitest';
import { serialNumber, serialNumberWithoutLeadingZeros, partNumber, ocrFold } from './serial';

describe('serialNumber: normalization', () => {
  it.each([
    ['AB12345', 'AB12345'],
    ['ab-123.45', 'AB12345'],
    ['AB 123 45', 'AB12345'],
    ['AB_123/45', 'AB12345'],
    ['AB\\123:45', 'AB12345'],
    ['S/N: AB-12345', 'AB12345'],
    ['S/N AB12345', 'AB12345'],
    ['SN: AB12345', 'AB12345'],
    ['SN-AB12345', 'AB12345'],
    ['SN AB12345', 'AB12345'],
    ['SN12345', '12345'],
    ['SER 12345', '12345'],
    ['SER. NO.: 12345', '12345'],
    ['SERIAL 12345', '12345'],
    ['Serial No. 12345', '12345'],
    ['Serial Number: 12345', '12345'],
    ['No. 12345', '12345'],
    ['NO: 12345', '12345'],
    ['#12345', '12345'],
    ['# 12345', '12345'],
    ['Seriennummer: 12-345', '12345'],
    ['Fabriknr. 12345', '12345'],
    ['  sn 4711-a  ', '4711A'],
    ['ＳＮ１２３４５', '12345'],
  ])('%s -> %s', (input, expected) => {
    expect(serialNumber(input)?.normalized).toBe(expected);
  });

  it('keeps serials that only look like they start with a label', () => {
    expect(serialNumber('NOX123')?.normalized).toBe('NOX123');
    expect(serialNumber('NR123')?.normalized).toBe('NR123');
    expect(serialNumber('SNX-42')?.normalized).toBe('SNX42');
    expect(serialNumber('SERVO-42')?.normalized).toBe('SERVO42');
  });

  it('accepts numeric values', () => {
    expect(serialNumber(4711)).toEqual({ normalized: '4711', ocrKey: '4711' });
  });

  it.each([[null], [undefined], [''], ['   '], ['---'], ['S/N'], ['s/n'], ['SN:'], ['N/A'], ['n.a.'], ['unknown'], ['TBD'],
    ['XXXX'], ['0'], ['000000'], ['#']])('%s -> null', (input) => {
    expect(serialNumber(input)).toBeNull();
  });
});

describe('serialNumber: OCR key', () => {
  it.each([
    ['0', '0'], ['O', '0'], ['D', '0'], ['Q', '0'],
    ['1', '1'], ['I', '1'], ['L', '1'],
    ['5', '5'], ['S', '5'],
    ['8', '8'], ['B', '8'],
    ['2', '2'], ['Z', '2'],
    ['6', '6'], ['G', '6'],
    ['A', 'A'], ['X', 'X'], ['7', '7'],
  ])('ocrFold(%s) -> %s', (input, expected) => {
    expect(ocrFold(input)).toBe(expected);
  });

  it.each([
    ['AB-1050', 'A8-IO5O'],
    ['SN 0O12-IL5', 'SN OD12-1I5'],
    ['Z6B-0815', '2G8-O8I5'],
    ['X5Q-2000', 'XSO-Z00Q'],
    ['GB12345', '6812345'],
  ])('misreads collide: %s ~ %s', (a, b) => {
    const ka = serialNumber(a);
    const kb = serialNumber(b);
    expect(ka?.normalized).not.toBe(kb?.normalized);
    expect(ka?.ocrKey).toBe(kb?.ocrKey);
  });

  it('keeps genuinely different serials apart', () => {
    expect(serialNumber('AB-1050')?.ocrKey).not.toBe(serialNumber('AB-1051')?.ocrKey);
    expect(serialNumber('AX-1050')?.ocrKey).not.toBe(serialNumber('AB-1050')?.ocrKey);
  });

  it('folds the slashed zero', () => {
    expect(serialNumber('ØØ123')?.ocrKey).toBe(serialNumber('00123')?.ocrKey);
  });
});

describe('serialNumberWithoutLeadingZeros', () => {
  it('trims leading zeros from both keys', () => {
    expect(serialNumberWithoutLeadingZeros('000123')).toEqual({ normalized: '123', ocrKey: '123' });
    expect(serialNumberWithoutLeadingZeros('SN 000123')).toEqual({ normalized: '123', ocrKey: '123' });
    expect(serialNumberWithoutLeadingZeros('O0123')).toEqual({ normalized: 'O0123', ocrKey: '123' });
    expect(serialNumberWithoutLeadingZeros('00A1')).toEqual({ normalized: 'A1', ocrKey: 'A1' });
    expect(serialNumberWithoutLeadingZeros(123)).toEqual(serialNumberWithoutLeadingZeros('000123'));
  });
  it('returns null for empty and all-zero values', () => {
    expect(serialNumberWithoutLeadingZeros('0000')).toBeNull();
    expect(serialNumberWithoutLeadingZeros(null)).toBeNull();
  });
});

describe('partNumber', () => {
  it('keeps variant suffixes distinct', () => {
    const base = partNumber('PMP-200');
    const variant = partNumber('PMP-200-X');
    expect(base).toEqual({ normalized: 'PMP200', skeleton: 'PMP200' });
    expect(variant).toEqual({ normalized: 'PMP200X', skeleton: 'PMP200X' });
    expect(base?.normalized).not.toBe(variant?.normalized);
    expect(base?.skeleton).not.toBe(variant?.skeleton);
    expect(partNumber('PMP-200-XL')?.normalized).not.toBe(partNumber('PMP-200-X')?.normalized);
  });

  it.each([
    ['PMP-200', 'PMP200'],
    ['pmp 200', 'PMP200'],
    ['PMP_200', 'PMP200'],
    ['PMP.200', 'PMP200'],
    ['PMP/200', 'PMP200'],
    ['P/N: PMP-200', 'PMP200'],
    ['PN: PMP-200', 'PMP200'],
    ['Part No. PMP-200', 'PMP200'],
    ['Art.-Nr. 12.345', '12345'],
    ['Mat.-Nr.: 0815-4711', '08154711'],
    ['A+B-12', 'A+B12'],
    ['PN-200', 'PN200'],
  ])('%s -> %s', (input, expected) => {
    expect(partNumber(input)?.normalized).toBe(expected);
  });

  it('builds a looser skeleton', () => {
    expect(partNumber('0815-ABC')).toEqual({ normalized: '0815ABC', skeleton: '815A8C' });
    expect(partNumber('00-4711')?.skeleton).toBe(partNumber('4711')?.skeleton);
    expect(partNumber('PMP-2OO')?.skeleton).toBe(partNumber('PMP-200')?.skeleton);
    expect(partNumber('A+B-12')?.skeleton).toBe('A812');
  });

  it('returns null without alphanumerics', () => {
    expect(partNumber(null)).toBeNull();
    expect(partNumber('')).toBeNull();
    expect(partNumber('---')).toBeNull();
    expect(partNumber('+/+')).toBeNull();
  });
});
