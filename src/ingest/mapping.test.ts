import { describe, expect, it } from 'vitest';
import { compileMapping, parseMapping } from './mapping';

describe('mapping', () => {
  it('maps columns, constants, concat and transforms, and keeps unmapped columns', () => {
    const mapping = parseMapping(
      JSON.stringify({
        constants: { entity: 'customer', source: 'febrl', kind: 'person' },
        fields: {
          sourceId: 'rec_id',
          givenName: { column: 'given_name', transforms: ['trim'] },
          dateOfBirth: { column: 'date_of_birth', transforms: [{ date: 'YYYYMMDD' }] },
          street: { concat: ['street_number', 'address_1'], separator: ' ' },
          name: { column: 'full', transforms: [{ splitName: 'family' }] },
        },
      }),
    );
    const map = compileMapping(mapping);
    const out = map({ rec_id: 'rec-1-org', given_name: ' anna ', date_of_birth: '19700215', street_number: '12', address_1: 'main st', full: 'Anna Smith', extra: 'x' });
    expect(out).toEqual({
      entity: 'customer', source: 'febrl', kind: 'person', sourceId: 'rec-1-org', givenName: 'anna',
      dateOfBirth: '1970-02-15', street: '12 main st', name: 'Smith', extra: 'x',
    });
  });

  it('drops empty values and supports nullIf, prefix, stripQuotes, split and number', () => {
    const map = compileMapping(
      parseMapping(JSON.stringify({
        keepUnmapped: false,
        fields: {
          sourceId: { column: 'id', transforms: [{ prefix: 'abt-' }] },
          name: { column: 'n', transforms: ['stripQuotes'] },
          city: { column: 'c', transforms: [{ nullIf: ['n/a'] }] },
          assetRefs: { column: 'a', transforms: [{ split: ';' }] },
          price: { column: 'p', transforms: [{ number: { stripCurrency: true } }] },
        },
      })),
    );
    expect(map({ id: '7', n: "'arnie morton\\'s of chicago'", c: 'n/a', a: 'A1; A2', p: '$1,044.00', other: 'dropped' })).toEqual({
      sourceId: 'abt-7', name: "arnie morton's of chicago", assetRefs: ['A1', 'A2'], price: '1044.00',
    });
  });

  it('reports every invalid part of a mapping with its path', () => {
    expect(() => parseMapping('{"fields": {"name": {"column": "a", "const": "b"}}, "constants": {"entity": "machine"}}', 'mapping m.json')).toThrow(
      /mapping m.json is invalid: .*constants.*entity must be one of.*fields\.name: a field takes exactly one of column, concat or const/,
    );
    expect(() => parseMapping('{not json', 'mapping m.json')).toThrow(/mapping m.json is not valid JSON/);
  });
});
