import { describe, expect, it } from 'vitest';
import { comparisonSchema, type MatchModelInput } from '../model/schema';
import type { PreparedRecord } from '../model/prepared-record';
import { compileModel, comparisonLevel, RULE_CONFLICT, RULE_EQUAL, RULE_NOT_APPLICABLE, RULE_UNSURE } from './compare';
import { documentFrequencyKey, frequencyTables } from './term-frequency';
import { parseModel } from '../model/schema';
import { jaroWinkler } from '../similarity/jaro-winkler';
import { damerauLevenshtein } from '../similarity/damerau-levenshtein';

type Fields = PreparedRecord['fields'];
let nextId = 0;
const rec = (fields: Fields): PreparedRecord => ({ id: nextId++, source: 'test', fields });

/** A comparison on field `f` with [null, ...levels, else]. */
const comparison = (levels: unknown[], fields = ['f']) =>
  comparisonSchema.parse({ name: 'c', fields, levels: [{ kind: 'null' }, ...levels, { kind: 'else' }] });

const level = (levels: unknown[], a: unknown, b: unknown) =>
  comparisonLevel(comparison(levels), rec({ f: a as Fields[string] }), rec({ f: b as Fields[string] }));

describe('comparisonLevel', () => {
  it('gives the null level when either side is missing', () => {
    for (const missing of [null, '', [], undefined]) {
      expect(level([{ kind: 'exact' }], 'x', missing)).toBe(0);
      expect(level([{ kind: 'exact' }], missing, 'x')).toBe(0);
    }
  });

  it('exact: same key; numbers and lists compare by value', () => {
    expect(level([{ kind: 'exact' }], 'abc', 'abc')).toBe(1);
    expect(level([{ kind: 'exact' }], 'abc', 'abd')).toBe(2);
    expect(level([{ kind: 'exact' }], 5, '5')).toBe(1);
    expect(level([{ kind: 'exact' }], ['b', 'a'], ['a', 'b', 'a'])).toBe(1);
  });

  it('exactOcr: equal after the built-in fold or on a fold field', () => {
    expect(level([{ kind: 'exact' }, { kind: 'exactOcr' }], 'SN-8O1', '5N801')).toBe(2);
    expect(level([{ kind: 'exactOcr' }], 'SN-8O1', 'SN-8X1')).toBe(2);
    const c = comparison([{ kind: 'exactOcr', fold: 'fOcr' }]);
    expect(comparisonLevel(c, rec({ f: 'a', fOcr: 'K1' }), rec({ f: 'b', fOcr: 'K1' }))).toBe(1);
    expect(comparisonLevel(c, rec({ f: 'a', fOcr: 'K1' }), rec({ f: 'b', fOcr: 'K2' }))).toBe(2);
  });

  it('jaroWinkler: similarity at least min', () => {
    expect(level([{ kind: 'jaroWinkler', min: 0.95 }], 'MARTHA', 'MARHTA')).toBe(1);
    expect(level([{ kind: 'jaroWinkler', min: 0.95 }], 'DIXON', 'DICKSONX')).toBe(2);
    expect(level([{ kind: 'jaroWinkler', min: 0.95 }, { kind: 'jaroWinkler', min: 0.8 }], 'DIXON', 'DICKSONX')).toBe(2);
  });

  it('levenshtein and damerauLevenshtein: distance at most max', () => {
    expect(level([{ kind: 'levenshtein', max: 2 }], 'kitten', 'sittin')).toBe(1);
    expect(level([{ kind: 'levenshtein', max: 2 }], 'kitten', 'sitting')).toBe(2);
    expect(level([{ kind: 'levenshtein', max: 1 }], 'abcd', 'acbd')).toBe(2);
    expect(level([{ kind: 'damerauLevenshtein', max: 1 }], 'abcd', 'acbd')).toBe(1);
  });

  it('jaccard, tokenSetContains, arrayIntersect: token overlap', () => {
    expect(level([{ kind: 'jaccard', min: 0.6 }], 'acme gmbh', 'acme gmbh co')).toBe(1);
    expect(level([{ kind: 'jaccard', min: 0.6 }], 'acme ag', 'acme gmbh')).toBe(2);
    expect(level([{ kind: 'tokenSetContains' }], 'acme', 'gmbh acme')).toBe(1);
    expect(level([{ kind: 'tokenSetContains' }], 'acme ag', 'gmbh acme')).toBe(2);
    expect(level([{ kind: 'arrayIntersect', min: 2 }], ['a', 'b', 'c'], ['c', 'b'])).toBe(1);
    expect(level([{ kind: 'arrayIntersect', min: 2 }], ['a', 'x'], ['a', 'y'])).toBe(2);
    expect(level([{ kind: 'arrayIntersect' }], ['a', 'x'], ['a', 'y'])).toBe(1);
  });

  it('dateWithin and dateTransposed', () => {
    expect(level([{ kind: 'dateWithin', days: 30 }], '2020-01-01', '2020-01-25')).toBe(1);
    expect(level([{ kind: 'dateWithin', days: 30 }], '2020-01-01', '2020-03-01')).toBe(2);
    expect(level([{ kind: 'dateWithin', days: 30 }], '2020-01-01', 'not a date')).toBe(2);
    expect(level([{ kind: 'dateTransposed' }], '1980-03-04', '1980-04-03')).toBe(1);
    expect(level([{ kind: 'dateTransposed' }], '1980-03-04', '1908-03-04')).toBe(1);
    expect(level([{ kind: 'dateTransposed' }], '1980-03-04', '1980-03-05')).toBe(2);
  });

  it('numericRelative and numericAbsolute', () => {
    expect(level([{ kind: 'numericRelative', maxRel: 0.1 }], 100, 95)).toBe(1);
    expect(level([{ kind: 'numericRelative', maxRel: 0.1 }], '100', 80)).toBe(2);
    expect(level([{ kind: 'numericRelative', maxRel: 0.1 }], 0, 0)).toBe(1);
    expect(level([{ kind: 'numericAbsolute', max: 5 }], 10, 14.5)).toBe(1);
    expect(level([{ kind: 'numericAbsolute', max: 5 }], 10, 16)).toBe(2);
    expect(level([{ kind: 'numericAbsolute', max: 5 }], 10, 'n/a')).toBe(2);
  });

  it('tokenCosine: IDF-weighted cosine or overlap of token sets, codePrefix: a code extends another', () => {
    // Without a document-frequency table every token weighs the same.
    expect(level([{ kind: 'tokenCosine', min: 0.6 }], ['a', 'b', 'c'], ['a', 'b', 'c', 'd'])).toBe(1);
    expect(level([{ kind: 'tokenCosine', min: 0.9 }], ['a', 'b', 'c'], ['a', 'b', 'c', 'd'])).toBe(2);
    expect(level([{ kind: 'tokenCosine', min: 0.9, measure: 'overlap' }], ['a', 'b'], ['a', 'b', 'c', 'd'])).toBe(1);
    expect(level([{ kind: 'codePrefix', minLength: 5 }], ['fs726tp'], ['fs726tpna'])).toBe(1);
    expect(level([{ kind: 'codePrefix', minLength: 5 }], ['gs724tp'], ['fs726tpna'])).toBe(2);
  });

  it('acrossSources: the level holds only for records of different sources', () => {
    const c = comparison([{ kind: 'codePrefix', minLength: 5, acrossSources: true }]);
    const at = (source: string, f: string[]): PreparedRecord => ({ id: nextId++, source, fields: { f } });
    expect(comparisonLevel(c, at('abt', ['nnsn667b']), at('buy', ['nnsn667bk']))).toBe(1);
    // Within one catalog a longer code is a variant, not the same product written differently.
    expect(comparisonLevel(c, at('abt', ['nnsn667b']), at('abt', ['nnsn667bk']))).toBe(2);
    const model = compileModel({
      entity: 'product',
      version: 1,
      prior: 0.01,
      thresholds: { autoMerge: { matchWeight: 5 }, review: { matchWeight: 0 } },
      comparisons: [{ name: 'code', fields: ['f'], levels: [{ kind: 'null' }, { kind: 'exact', acrossSources: true }, { kind: 'else' }] }],
    });
    const [x, y, z] = [at('erp', ['a1']), at('crm', ['a1']), at('erp', ['a1'])];
    expect(model.comparisons[0].level(model.view(x), model.view(y))).toBe(1);
    expect(model.comparisons[0].level(model.view(x), model.view(z))).toBe(2);
  });

  it('tokenCosine weighs tokens by their document frequency over the records', () => {
    const model: MatchModelInput = {
      entity: 'product',
      version: 1,
      prior: 0.01,
      thresholds: { autoMerge: { matchWeight: 5 }, review: { matchWeight: 0 } },
      comparisons: [{ name: 'name', fields: ['t'], levels: [{ kind: 'null' }, { kind: 'tokenCosine', min: 0.5 }, { kind: 'else' }] }],
    };
    const records = [
      rec({ t: ['pump', 'x100'] }),
      rec({ t: ['pump', 'x200'] }),
      rec({ t: ['pump', 'x300'] }),
      rec({ t: ['pump', 'x400'] }),
      rec({ t: ['pump', 'x500'] }),
      rec({ t: ['pump', 'x600'] }),
      rec({ t: ['valve', 'x100'] }),
    ];
    const termFrequencies = frequencyTables(parseModel(model), records);
    expect(termFrequencies[documentFrequencyKey('t')].counts.get('pump')).toBe(6);
    const compiled = compileModel(model, { termFrequencies });
    const levelOf = (a: PreparedRecord, b: PreparedRecord) => compiled.comparisons[0].level(compiled.view(a), compiled.view(b));
    // Sharing the rare code is similar; sharing the common word is not.
    expect(levelOf(records[0], records[6])).toBe(1);
    expect(levelOf(records[0], records[1])).toBe(2);
    // Without the table the common word counts as much as the code.
    expect(compileModel(model).missingTermFrequencies).toEqual([documentFrequencyKey('t')]);
  });

  it('prefix: the first characters are equal', () => {
    expect(level([{ kind: 'prefix', length: 3 }], 'SW1A1AA', 'SW1B2BB')).toBe(1);
    expect(level([{ kind: 'prefix', length: 3 }], 'SW1A1AA', 'SW2A1AA')).toBe(2);
    expect(level([{ kind: 'prefix', length: 3 }], 'SW', 'SW')).toBe(2);
  });

  it('swapped: the two fields cross-match', () => {
    const c = comparison([{ kind: 'exact' }, { kind: 'swapped' }], ['given', 'family']);
    expect(comparisonLevel(c, rec({ given: 'smith', family: 'john' }), rec({ given: 'john', family: 'smith' }))).toBe(2);
    expect(comparisonLevel(c, rec({ given: 'smith', family: 'john' }), rec({ given: 'john', family: 'smyth' }))).toBe(3);
    expect(comparisonLevel(c, rec({ given: 'john', family: 'smith' }), rec({ given: 'john', family: 'smith' }))).toBe(1);
    expect(comparisonLevel(c, rec({ given: null, family: 'smith' }), rec({ given: 'john', family: 'smith' }))).toBe(0);
  });

  it('a level can read another prepared field and the first level that holds wins', () => {
    const c = comparison([{ kind: 'exact' }, { kind: 'exact', field: 'phonetic' }, { kind: 'jaroWinkler', min: 0.5 }]);
    expect(comparisonLevel(c, rec({ f: 'meyer', phonetic: 'MR' }), rec({ f: 'maier', phonetic: 'MR' }))).toBe(2);
    expect(comparisonLevel(c, rec({ f: 'meyer', phonetic: 'MR' }), rec({ f: 'meyer', phonetic: 'XX' }))).toBe(1);
    expect(comparisonLevel(c, rec({ f: 'meyer', phonetic: 'MR' }), rec({ f: 'meier', phonetic: null }))).toBe(3);
  });
});

describe('values cut at a source field length', () => {
  const cutLevels = [
    { kind: 'exact', field: 'whole' },
    { kind: 'cutPrefix', field: 'whole', cutField: 'cut' },
    { kind: 'cutPrefix', field: 'whole', cutField: 'cut', between: 'twoCuts' },
  ];
  const sn = (whole: string | null, cut: string | null) => rec({ f: whole ?? cut, whole, cut });
  const levelOf = (a: PreparedRecord, b: PreparedRecord) => comparisonLevel(comparison(cutLevels), a, b);

  it('cutPrefix: a cut value that begins the other whole value, or two cut values one beginning the other', () => {
    expect(levelOf(sn('PMP24000017', null), sn('PMP24000017', null))).toBe(1);
    expect(levelOf(sn(null, 'PMP24'), sn('PMP24000017', null))).toBe(2);
    expect(levelOf(sn('PMP24000017', null), sn(null, 'PMP24'))).toBe(2);
    expect(levelOf(sn(null, 'PMP2400'), sn(null, 'PMP24'))).toBe(3);
    expect(levelOf(sn(null, 'PMP25'), sn('PMP24000017', null))).toBe(4); // else
    expect(levelOf(sn(null, 'PMP25'), sn(null, 'PMP24'))).toBe(4);
  });

  it('a rule with cutField: conflict when the cut value does not begin the other, unsure when it does', () => {
    const compiled = compileModel({
      entity: 'serial', version: 1, prior: 0.01,
      thresholds: { autoMerge: { matchWeight: 6 }, review: { matchWeight: 0 } },
      comparisons: [{ name: 'c', fields: ['f'], levels: [{ kind: 'null' }, { kind: 'exact' }, { kind: 'else' }] }],
      rules: [{ name: 'serial', fields: ['whole'], cutField: 'cut', onEqual: 'none', onConflict: 'hardNegative' }],
    });
    const outcome = (a: PreparedRecord, b: PreparedRecord) => compiled.rules[0].evaluate(compiled.view(a), compiled.view(b));
    expect(outcome(sn('PMP24000017', null), sn('PMP24000017', null))).toBe(RULE_EQUAL);
    expect(outcome(sn('PMP24000017', null), sn('PMP24000018', null))).toBe(RULE_CONFLICT);
    expect(outcome(sn(null, 'PMP24'), sn('PMP24000017', null))).toBe(RULE_UNSURE);
    expect(outcome(sn(null, 'PMP24000017'), sn('PMP24000018', null))).toBe(RULE_CONFLICT);
    expect(outcome(sn('PMP24', null), sn(null, 'PMP24000017'))).toBe(RULE_CONFLICT); // a whole value is not the beginning of a longer cut one
    expect(outcome(sn(null, 'PMP24'), sn(null, 'PMP2400'))).toBe(RULE_UNSURE);
    expect(outcome(sn(null, null), sn(null, 'PMP24'))).toBe(RULE_NOT_APPLICABLE);
    // cutAgreement 'evidence': an agreeing cut value leaves the decision to the other comparisons.
    const evidence = compileModel({ ...compiled.model, rules: [{ ...compiled.model.rules[0], cutAgreement: 'evidence' }] });
    expect(evidence.rules[0].evaluate(evidence.view(sn(null, 'PMP24')), evidence.view(sn('PMP24000017', null)))).toBe(RULE_NOT_APPLICABLE);
    expect(evidence.rules[0].evaluate(evidence.view(sn(null, 'PMP25')), evidence.view(sn('PMP24000017', null)))).toBe(RULE_CONFLICT);
  });

  it('rejects cutField on a rule of several fields', () => {
    expect(() => parseModel({
      entity: 'serial', version: 1, prior: 0.01,
      thresholds: { autoMerge: { matchWeight: 6 }, review: { matchWeight: 0 } },
      comparisons: [{ name: 'c', fields: ['f'], levels: [{ kind: 'null' }, { kind: 'else' }] }],
      rules: [{ name: 'serial', fields: ['whole', 'maker'], cutField: 'cut' }],
    })).toThrow(/cutField needs exactly one field/);
  });
});

describe('compileModel', () => {
  const model: MatchModelInput = {
    entity: 'customer',
    version: 1,
    prior: 0.01,
    thresholds: { autoMerge: { probability: 0.99 }, review: { matchWeight: 0 } },
    comparisons: [
      {
        name: 'name',
        fields: ['name'],
        levels: [{ kind: 'null' }, { kind: 'exact' }, { kind: 'jaccard', min: 0.5 }, { kind: 'else' }],
        tf: { field: 'name' },
      },
    ],
  };

  it('caches each record view and converts thresholds to weights', () => {
    const compiled = compileModel(model);
    const r = rec({ name: 'acme gmbh' });
    expect(compiled.view(r)).toBe(compiled.view(r));
    expect(compiled.thresholds.review).toBe(0);
    expect(compiled.thresholds.autoMerge).toBeCloseTo(Math.log2(99), 9);
    expect(compiled.priorWeight).toBeCloseTo(Math.log2(1 / 99), 9);
  });

  it('lists tf fields without a table', () => {
    expect(compileModel(model).missingTermFrequencies).toEqual(['name']);
  });

  it('rejects an invalid model', () => {
    expect(() => compileModel({ ...model, prior: 2 })).toThrow(/prior/);
  });
});

describe('levels sharing a measure', () => {
  it('agree with the measure computed directly, pair after pair', () => {
    const c = comparison([
      { kind: 'exact' },
      { kind: 'jaroWinkler', min: 0.95 },
      { kind: 'jaroWinkler', min: 0.85 },
      { kind: 'damerauLevenshtein', max: 1 },
      { kind: 'damerauLevenshtein', max: 3 },
    ]);
    const words = ['martha', 'marhta', 'marta', 'martin', 'dixon', 'dickson', 'dicksonx', 'maria', 'mario', 'xavier'];
    for (const x of words) {
      for (const y of words) {
        const jw = jaroWinkler(x, y);
        const dl = damerauLevenshtein(x, y);
        const expected = x === y ? 1 : jw >= 0.95 ? 2 : jw >= 0.85 ? 3 : dl <= 1 ? 4 : dl <= 3 ? 5 : 6;
        expect(comparisonLevel(c, rec({ f: x }), rec({ f: y }))).toBe(expected);
      }
    }
  });
});
