import { describe, expect, it } from 'vitest';
import { gs1CheckDigit, isValidGs1, iso7064Mod11_10, luhnCheckDigit, luhnChecksum, modDigits, weightedSum, withGs1Check } from './checkdigits';

describe('GS1 check digits', () => {
  it('validates published samples', () => {
    for (const code of ['4006381333931', '5401234567898', '06141417', '4012345000009', '04006381333931']) expect(isValidGs1(code)).toBe(true);
    expect(isValidGs1('4006381333932')).toBe(false);
    expect(isValidGs1('40063813339')).toBe(false);
  });

  it('computes and appends', () => {
    expect(gs1CheckDigit('400638133393')).toBe(1);
    expect(withGs1Check('401234500000')).toBe('4012345000009');
  });
});

describe('Luhn, ISO 7064 and weighted sums', () => {
  it('matches known values', () => {
    expect(luhnChecksum('79927398713')).toBe(0);
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(iso7064Mod11_10('13669597')).toBe(6); // DE136695976
    expect(weightedSum('004495445', [9, 8, 7, 6, 5, 4, 3, 2, -1]) % 11).toBe(0); // NL004495445B01
    expect(weightedSum('856734621', [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11).toBe(5); // PL8567346215
    expect(97 - modDigits('04030192', 97)).toBe(61); // BE0403019261
  });
});
