import { describe, expect, it } from 'vitest';
import { fixedClock } from './clock';
import { type SurvivorshipConfig, survivorshipConfigSchema } from './config';
import { DEFAULT_SURVIVORSHIP_CONFIGS } from './defaults';
import { type GoldenAggregate, type GoldenValue, isAggregateAttribute } from './golden-attribute';
import type { StewardDecision } from './strategies/steward';
import { surviveGoldenRecord } from './survive-golden-record';
import { daysAgo, rec, shuffled } from './test-records';

const clock = fixedClock('2026-03-01T00:00:00Z');
const customer = DEFAULT_SURVIVORSHIP_CONFIGS.customer;

const records = [
  rec('erp', 'E1', {
    kind: 'organization', name: 'KRUEGER MASCHINENBAU', taxId: 'DE811234567', email: 'billing@krueger.de',
    phone: '+49 711 123456', street: 'Industriestr.', houseNumber: '12', postalCode: '70565', city: 'Stuttgart', country: 'DE',
    parentRef: 'E-9',
  }, { updatedAt: daysAgo(300) }),
  rec('crm', 'C1', {
    kind: 'organization', name: 'Krüger Maschinenbau GmbH', email: 'anna.krueger@krueger.de', phone: ['+49 170 1234567', ''],
    street: 'Hauptstraße', houseNumber: '1', addressLine2: 'Tor 3', postalCode: '89073', city: 'Ulm', region: 'BW', country: 'DE',
    website: 'krueger.de',
  }, { updatedAt: daysAgo(20) }),
  rec('fsm', 'F1', { name: 'Krueger', phone: '+49 711 123-456', city: 'Stuttgart-Vaihingen', country: 'de' }, { updatedAt: daysAgo(2) }),
];

const single = (a: unknown) => a as GoldenValue;
const many = (a: unknown) => a as GoldenAggregate;

describe('surviveGoldenRecord', () => {
  it('survives every attribute with lineage and losers', () => {
    const { attributes, ignoredDecisions } = surviveGoldenRecord(records, customer, [], clock);
    expect(ignoredDecisions).toEqual([]);
    expect(attributes.name).toEqual({
      value: 'Krüger Maschinenbau GmbH',
      lineage: {
        recordId: 'crm:C1', source: 'crm', sourceId: 'C1', version: 1, strategy: 'sourcePriority',
        reason: 'source crm ranks 1 of crm > erp > fsm',
      },
      losers: [
        { value: 'KRUEGER MASCHINENBAU', source: 'erp', sourceId: 'E1' },
        { value: 'Krueger', source: 'fsm', sourceId: 'F1' },
      ],
    });
    expect(single(attributes.kind).lineage.strategy).toBe('onlyValue');
    expect(single(attributes.taxId).lineage).toMatchObject({ source: 'erp', strategy: 'onlyValue' });
    expect(attributes).not.toHaveProperty('parentRef');
  });

  it('never mixes address parts of two records', () => {
    const { attributes } = surviveGoldenRecord(records, customer, [], clock);
    const parts = ['street', 'houseNumber', 'addressLine2', 'postalCode', 'city', 'region', 'country'];
    const survived = parts.filter((p) => p in attributes);
    expect(survived).toEqual(['street', 'houseNumber', 'postalCode', 'city', 'country']);
    for (const p of survived) expect(single(attributes[p]).lineage).toMatchObject({ recordId: 'erp:E1', group: 'address' });
    expect(single(attributes.city).value).toBe('Stuttgart');
    // CRM's addressLine2 and region are not borrowed into ERP's address
    expect(attributes).not.toHaveProperty('addressLine2');
    expect(attributes).not.toHaveProperty('region');
    expect(single(attributes.city).losers?.map((l) => l.value)).toEqual(['Ulm', 'Stuttgart-Vaihingen']);
  });

  it('aggregates all distinct phones with lineage', () => {
    const phone = surviveGoldenRecord(records, customer, [], clock).attributes.phone;
    expect(isAggregateAttribute(phone)).toBe(true);
    expect(many(phone).values).toEqual([
      { value: '+49 170 1234567', lineage: expect.objectContaining({ source: 'crm', sourceId: 'C1', strategy: 'aggregate' }) },
      { value: '+49 711 123456', lineage: expect.objectContaining({ source: 'erp', sourceId: 'E1', strategy: 'aggregate', reason: expect.stringContaining('also from fsm/F1') }) },
    ]);
  });

  it('does not depend on the order of records or decisions', () => {
    const decisions: StewardDecision[] = [
      { attribute: 'website', value: 'https://krueger.de', actor: 'anna', at: '2026-02-01T00:00:00Z' },
      { attribute: 'website', value: 'https://www.krueger.de', actor: 'bob', at: '2026-02-01T00:00:00Z' },
      { attribute: 'email', recordId: 'gone', actor: 'anna', at: '2026-01-01T00:00:00Z' },
    ];
    const expected = surviveGoldenRecord(records, customer, decisions, clock);
    for (let seed = 1; seed <= 20; seed++) {
      const again = surviveGoldenRecord(shuffled(records, seed), customer, shuffled(decisions, seed + 100), clock);
      expect(again).toEqual(expected);
      expect(JSON.stringify(again)).toBe(JSON.stringify(expected));
    }
  });

  it('recomputes from stored values: an unmerge loses nothing', () => {
    const merged = surviveGoldenRecord(records, customer, [], clock).attributes;
    const split = surviveGoldenRecord([records[2]], customer, [], clock).attributes;
    expect(single(merged.name).value).toBe('Krüger Maschinenbau GmbH');
    expect(single(split.name)).toMatchObject({ value: 'Krueger', lineage: { source: 'fsm', strategy: 'onlyValue' } });
    expect(single(split.city).value).toBe('Stuttgart-Vaihingen');
  });

  it('uses the highest version when a record is passed twice', () => {
    const v2 = { ...records[1], version: 2, attributes: { ...records[1].attributes, email: 'new@krueger.de' } };
    const { attributes } = surviveGoldenRecord([v2, ...records], customer, [], clock);
    expect(single(attributes.email)).toMatchObject({ value: 'new@krueger.de', lineage: { version: 2 } });
  });
});

describe('steward pins and overrides', () => {
  it('an override wins over every strategy, with the steward as lineage', () => {
    const decisions: StewardDecision[] = [{ attribute: 'email', value: 'info@krueger.de', actor: 'anna', at: '2026-02-01T00:00:00Z' }];
    const email = single(surviveGoldenRecord(records, customer, decisions, clock).attributes.email);
    expect(email.value).toBe('info@krueger.de');
    expect(email.lineage).toEqual({
      recordId: null, source: 'steward', sourceId: 'anna', version: null, strategy: 'override',
      reason: 'set by anna at 2026-02-01T00:00:00Z', steward: { actor: 'anna', at: '2026-02-01T00:00:00Z' },
    });
    expect(email.losers?.map((l) => l.value)).toEqual(['anna.krueger@krueger.de', 'billing@krueger.de']);
  });

  it('a pin takes the value of a source record over the strategies', () => {
    const decisions: StewardDecision[] = [{ attribute: 'name', recordId: 'erp:E1', actor: 'bob', at: '2026-02-01T00:00:00Z' }];
    const name = single(surviveGoldenRecord(records, customer, decisions, clock).attributes.name);
    expect(name).toMatchObject({ value: 'KRUEGER MASCHINENBAU', lineage: { recordId: 'erp:E1', strategy: 'pin', steward: { actor: 'bob' } } });
  });

  it('the latest decision wins; a stale pin is reported and ignored', () => {
    const decisions: StewardDecision[] = [
      { attribute: 'name', value: 'Krüger GmbH', actor: 'anna', at: '2026-01-01T00:00:00Z' },
      { attribute: 'name', recordId: 'fsm:F1', value: 'Krueger', actor: 'bob', at: '2026-02-01T00:00:00Z' },
      { attribute: 'name', recordId: 'crm:C1', value: 'Krüger AG', actor: 'carl', at: '2026-02-15T00:00:00Z' },
      { attribute: 'email', recordId: 'crm:C9', actor: 'carl', at: '2026-02-15T00:00:00Z' },
      { attribute: 'website', value: '  ', actor: 'dora', at: '2026-02-15T00:00:00Z' },
      { attribute: 'customerRef', value: 'x', actor: 'dora', at: '2026-02-15T00:00:00Z' },
      { attribute: 'colour', value: 'red', actor: 'dora', at: '2026-02-15T00:00:00Z' },
    ];
    const { attributes, ignoredDecisions } = surviveGoldenRecord(records, customer, decisions, clock);
    expect(single(attributes.name)).toMatchObject({ value: 'Krueger', lineage: { strategy: 'pin', recordId: 'fsm:F1' } });
    expect(single(attributes.email).lineage.strategy).toBe('sourcePriority');
    expect(single(attributes.website).value).toBe('krueger.de');
    expect(ignoredDecisions.map((i) => [i.decision.attribute, i.reason])).toEqual([
      ['colour', '"colour" is not a customer attribute or group'],
      ['customerRef', 'customerRef is a reference: change the relationship, not a survived attribute'],
      ['email', "record crm:C9 is not among this golden record's source records"],
      ['name', 'record crm:C1 (crm/C1) now holds "Krüger Maschinenbau GmbH", not the pinned "Krüger AG"'],
      ['website', 'override value is empty; empty values never win (pin another value instead)'],
    ]);
  });

  it('a pin on one address part takes the whole address from that record', () => {
    const decisions: StewardDecision[] = [{ attribute: 'city', recordId: 'crm:C1', value: 'ulm', actor: 'anna', at: '2026-02-01T00:00:00Z' }];
    const { attributes } = surviveGoldenRecord(records, customer, decisions, clock);
    for (const part of ['street', 'houseNumber', 'addressLine2', 'postalCode', 'city', 'region', 'country']) {
      expect(single(attributes[part]).lineage).toMatchObject({ recordId: 'crm:C1', strategy: 'pin', group: 'address' });
    }
    expect(single(attributes.city).value).toBe('Ulm');
  });

  it('an override of one address part replaces only that part unless a later group decision exists', () => {
    const fix: StewardDecision = { attribute: 'houseNumber', value: '12a', actor: 'anna', at: '2026-02-01T00:00:00Z' };
    const withFix = surviveGoldenRecord(records, customer, [fix], clock).attributes;
    expect(single(withFix.houseNumber)).toMatchObject({ value: '12a', lineage: { strategy: 'override' } });
    expect(single(withFix.street).lineage).toMatchObject({ recordId: 'erp:E1', group: 'address' });

    const laterPin: StewardDecision = { attribute: 'address', recordId: 'crm:C1', actor: 'bob', at: '2026-02-10T00:00:00Z' };
    const pinned = surviveGoldenRecord(records, customer, [fix, laterPin], clock).attributes;
    expect(single(pinned.houseNumber)).toMatchObject({ value: '1', lineage: { strategy: 'pin', recordId: 'crm:C1' } });
  });

  it('a group override sets the typed parts and nothing else', () => {
    const decisions: StewardDecision[] = [
      { attribute: 'address', value: { street: 'Neue Str.', houseNumber: '5', city: 'Esslingen', country: 'DE' }, actor: 'anna', at: '2026-02-01T00:00:00Z' },
    ];
    const { attributes } = surviveGoldenRecord(records, customer, decisions, clock);
    expect(single(attributes.city)).toMatchObject({ value: 'Esslingen', lineage: { strategy: 'override', group: 'address' } });
    expect(attributes).not.toHaveProperty('postalCode');
  });

  it('on an aggregate, a pin puts the value first and an override replaces the list', () => {
    const pin: StewardDecision = { attribute: 'phone', recordId: 'fsm:F1', actor: 'anna', at: '2026-02-01T00:00:00Z' };
    const pinned = many(surviveGoldenRecord(records, customer, [pin], clock).attributes.phone);
    expect(pinned.values.map((v) => [v.value, v.lineage.strategy])).toEqual([
      ['+49 711 123-456', 'pin'],
      ['+49 170 1234567', 'aggregate'],
    ]);
    const override: StewardDecision = { attribute: 'phone', value: ['+49 711 1', '+49 711 1', ''], actor: 'bob', at: '2026-02-02T00:00:00Z' };
    const replaced = many(surviveGoldenRecord(records, customer, [pin, override], clock).attributes.phone);
    expect(replaced.values).toEqual([{ value: '+49 711 1', lineage: expect.objectContaining({ strategy: 'override', sourceId: 'bob' }) }]);
  });
});

describe('configured strategies', () => {
  it('uses trust decay with the clock: fresh FSM beats a stale ERP value, not a fresh one', () => {
    const config: SurvivorshipConfig = survivorshipConfigSchema.parse({
      entity: 'location',
      trust: {
        erp: { maxTrust: 90, minTrust: 50, decayPeriod: { value: 1, unit: 'years' }, curve: 'linear' },
        fsm: { maxTrust: 80, minTrust: 20, decayPeriod: { value: 6, unit: 'months' }, curve: 'SIRL' },
      },
      defaultStrategies: [{ strategy: 'trustDecay' }, { strategy: 'mostRecent' }],
    });
    const at = (erpAge: number, fsmAge: number) =>
      single(
        surviveGoldenRecord(
          [rec('erp', 'E', { name: 'Plant 1' }, { updatedAt: daysAgo(erpAge) }), rec('fsm', 'F', { name: 'Werk 1 Halle B' }, { updatedAt: daysAgo(fsmAge) })],
          config,
          [],
          clock,
        ).attributes.name,
      );
    expect(at(365, 10)).toMatchObject({ value: 'Werk 1 Halle B', lineage: { strategy: 'trustDecay' } }); // 50 vs ~79.8
    expect(at(10, 10)).toMatchObject({ value: 'Plant 1', lineage: { strategy: 'trustDecay' } }); // ~89.0 vs ~79.8
  });
});
