import { describe, expect, it } from 'vitest';
import { prepareCustomer } from './customer';
import { customerKind } from './customer-kind';
import { NO_REFERENCES } from './types';

const input = (attributes: Record<string, unknown>, sourceId = '1') => ({ id: 0, source: 'crm', sourceId, attributes });

describe('prepareCustomer', () => {
  it('standardizes an organization', () => {
    const r = prepareCustomer(
      input({
        kind: 'organization',
        name: 'Krüger Maschinenbau GmbH',
        taxId: 'DE 136 695 976',
        duns: '15-048-3782',
        street: 'Industriestr. 12a',
        postalCode: '70565',
        city: 'Stuttgart',
        country: 'Deutschland',
        phone: '0711 123456',
        email: 'Info@Krueger.de',
        website: 'https://www.krueger.de/kontakt',
      }),
      NO_REFERENCES,
    );
    expect(r.fields).toMatchObject({
      customerKind: 'organization',
      nameNorm: 'krueger maschinenbau',
      legalForm: 'gmbh',
      taxId: 'DE136695976',
      duns: '150483782',
      street: 'industriestrasse',
      houseNumber: '12a',
      postalCode: '70565',
      postalArea: '70',
      city: 'stuttgart',
      country: 'DE',
      phone: '+49711123456',
      email: 'info@krueger.de',
      emailDomain: 'krueger.de',
      website: 'krueger.de',
      domains: ['krueger.de'],
    });
    expect(r.fields.namePhonetic).toContain('KRKR');
  });

  it('keeps an invalid VAT number out of the hard rule but comparable', () => {
    const r = prepareCustomer(input({ name: 'Acme GmbH', taxId: 'DE 125014855', country: 'DE' }), NO_REFERENCES);
    expect(r.fields.taxId).toBeNull();
    expect(r.fields.taxIdAny).toBe('DE125014855');
  });

  it('prepares a person with nickname, phonetic codes and date of birth', () => {
    const r = prepareCustomer(
      input({ kind: 'person', givenName: 'Bob', familyName: 'Schmidt', dateOfBirth: '05.03.1980', nationalId: '123-45 678' }),
      NO_REFERENCES,
    );
    expect(r.fields).toMatchObject({
      customerKind: 'person',
      givenName: 'bob',
      givenCanonical: 'robert',
      familyName: 'schmidt',
      familyPhonetic: 'XMT',
      dob: '1980-03-05',
      nationalId: '12345678',
    });
  });

  it('splits a full person name when given and family name are missing', () => {
    const r = prepareCustomer(input({ kind: 'person', name: 'Ludwig van Beethoven' }), NO_REFERENCES);
    expect(r.fields.givenName).toBe('ludwig');
    expect(r.fields.familyName).toBe('van beethoven');
  });

  it('takes owned units from the context', () => {
    const context = { ...NO_REFERENCES, ownedUnits: (source: string, id: string) => (source === 'crm' && id === '7' ? ['B', 'A'] : []) };
    expect(prepareCustomer(input({ name: 'Acme' }, '7'), context).fields.ownedUnits).toEqual(['A', 'B']);
    expect(prepareCustomer(input({ name: 'Acme' }, '8'), context).fields.ownedUnits).toBeNull();
  });
});

describe('customerKind', () => {
  it('uses kind, then the legal form, then the presence of person names', () => {
    expect(customerKind({ kind: 'person', name: 'Acme GmbH' })).toBe('person');
    expect(customerKind({ name: 'Acme GmbH', givenName: 'Hans' })).toBe('organization');
    expect(customerKind({ name: 'Acme' })).toBe('organization');
    expect(customerKind({ givenName: 'Hans', familyName: 'Maier' })).toBe('person');
  });
});
