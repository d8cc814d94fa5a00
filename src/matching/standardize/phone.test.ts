import { describe, it, expect } from 'vitest';
import { phoneE164, phoneNumber } from './phone';

describe('phoneE164', () => {
  it.each([
    // international prefix "+"
    ['+49 89 1234567', undefined, '+49891234567'],
    ['+49 (0)89 123 4567', undefined, '+49891234567'],
    ['+49-89-1234567', 'US', '+49891234567'],
    ['+44 20 7946 0958', undefined, '+442079460958'],
    ['+1 (212) 555-0123', undefined, '+12125550123'],
    ['+81 3-1234-5678', undefined, '+81312345678'],
    ['+33 1 42 68 53 00', undefined, '+33142685300'],
    // international prefix "00", regardless of the default country
    ['0049 89 1234567', 'DE', '+49891234567'],
    ['0049 89 1234567', 'US', '+49891234567'],
    ['0049 89 1234567', undefined, '+49891234567'],
    ['00 44 20 7946 0958', 'FR', '+442079460958'],
    ['0041 44 668 18 00', 'CH', '+41446681800'],
    // national numbers with a default country
    ['089 1234567', 'DE', '+49891234567'],
    ['089/1234567', 'DE', '+49891234567'],
    ['0171 1234567', 'DE', '+491711234567'],
    ['089 1234567', 'Deutschland', '+49891234567'],
    ['089 1234567', 'DEU', '+49891234567'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['(212) 555-0123', 'US', '+12125550123'],
    ['212.555.0123', 'USA', '+12125550123'],
    ['03-1234-5678', 'JP', '+81312345678'],
    ['01 42 68 53 00', 'FR', '+33142685300'],
    ['044 668 18 00', 'CH', '+41446681800'],
    ['011 49 89 1234567', 'US', '+49891234567'],
    // labels, full-width digits
    ['Tel.: +49 89 1234567', undefined, '+49891234567'],
    ['Phone: (212) 555-0123', 'US', '+12125550123'],
    ['Fax 089 1234567', 'DE', '+49891234567'],
    ['＋４９ ８９ １２３４５６７', undefined, '+49891234567'],
  ])('%s (%s) -> %s', (input, country, expected) => {
    expect(phoneE164(input, country)).toBe(expected);
  });

  it.each([
    ['1-800-FLOWERS', 'US'],
    ['call me', 'DE'],
    ['n/a', 'DE'],
    ['0000', 'DE'],
    ['123', 'DE'],
    ['+49 12', undefined],
    ['000 000 000', 'DE'],
    ['089 1234567', undefined],
    ['089 1234567', 'Atlantis'],
    ['', 'DE'],
    [null, 'DE'],
    [undefined, undefined],
  ])('%s (%s) -> null', (input, country) => {
    expect(phoneE164(input, country)).toBeNull();
  });
});

describe('phoneNumber: extensions', () => {
  it.each([
    ['(212) 555-0123 x45', 'US', '+12125550123', '45'],
    ['212-555-0123 ext. 45', 'US', '+12125550123', '45'],
    ['212-555-0123 extension 45', 'US', '+12125550123', '45'],
    ['+1 212 555 0123 #45', undefined, '+12125550123', '45'],
    ['089 1234567 Durchwahl 12', 'DE', '+49891234567', '12'],
    ['089 1234567 DW 12', 'DE', '+49891234567', '12'],
    ['+49 89 1234567 App. 12', undefined, '+49891234567', '12'],
    ['+49 89 1234567', undefined, '+49891234567', null],
  ])('%s -> %s ext %s', (input, country, e164, extension) => {
    expect(phoneNumber(input, country)).toMatchObject({ e164, extension });
  });

  it('reports the country of the number', () => {
    expect(phoneNumber('+41 44 668 18 00')).toEqual({ e164: '+41446681800', extension: null, country: 'CH' });
    expect(phoneNumber('0049 89 1234567', 'US')?.country).toBe('DE');
  });
});
