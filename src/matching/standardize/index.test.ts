import { describe, it, expect } from 'vitest';
import * as standardize from './index';

describe('standardize index', () => {
  it('re-exports every standardizer', () => {
    const expected = [
      'foldDiacritics', 'fold', 'collapseWhitespace', 'stripPunctuation', 'normalizeText', 'tokenize', 'toText',
      'orgName', 'legalFormCode', 'personName', 'canonicalGivenName', 'streetAddress', 'houseNumber', 'postalCode',
      'postalArea', 'countryCode', 'phoneNumber', 'phoneE164', 'email', 'vat', 'duns', 'gtin', 'gln', 'checkDigitGs1',
      'serialNumber', 'serialNumberWithoutLeadingZeros', 'partNumber', 'ocrFold', 'phoneticCodes', 'nameTokensPhonetic',
      'isoDate',
    ];
    for (const name of expected) expect(typeof (standardize as Record<string, unknown>)[name], name).toBe('function');
  });

  it('standardizes two spellings of one customer record to the same keys', () => {
    const a = {
      name: 'Müller Maschinenbau GmbH & Co. KG', street: 'Industriestraße 12 a', postalCode: '1067',
      country: 'Deutschland', phone: '0351 1234567', email: 'Info@Mueller-Maschinenbau.de', vat: 'DE 136 308 783',
    };
    const b = {
      name: 'MUELLER MASCH.-BAU GMBH U. CO. KG', street: 'Industriestr. 12A', postalCode: '01067',
      country: 'DE', phone: '+49 (0)351 123 45 67', email: 'info@mueller-maschinenbau.de', vat: '136308783',
    };
    const keys = (r: typeof a) => {
      const cc = standardize.countryCode(r.country);
      return {
        cc,
        name: standardize.orgName(r.name)?.name,
        legalForm: standardize.orgName(r.name)?.legalForm,
        street: standardize.streetAddress(r.street, { country: cc }),
        postalCode: standardize.postalCode(r.postalCode, cc)?.postalCode,
        phone: standardize.phoneE164(r.phone, cc),
        email: standardize.email(r.email)?.email,
        vat: standardize.vat(r.vat, cc)?.value,
      };
    };
    expect(keys(a)).toEqual(keys(b));
    expect(keys(a)).toEqual({
      cc: 'DE', name: 'mueller maschinenbau', legalForm: 'gmbh_co_kg',
      street: { street: 'industriestrasse', houseNumber: '12a' }, postalCode: '01067', phone: '+493511234567',
      email: 'info@mueller-maschinenbau.de', vat: 'DE136308783',
    });
  });
});
