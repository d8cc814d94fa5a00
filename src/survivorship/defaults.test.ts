import { describe, expect, it } from 'vitest';
import { ENTITY_TYPES } from '../core/entities';
import { fixedClock } from './clock';
import { REFERENCE_ATTRIBUTES, survivableAttributes, survivorshipConfigSchema } from './config';
import { DEFAULT_SURVIVORSHIP_CONFIGS, defaultSurvivorshipConfig } from './defaults';
import { isAggregateAttribute } from './golden-attribute';
import { surviveGoldenRecord } from './survive-golden-record';
import { rec } from './test-records';

const clock = fixedClock('2026-03-01T00:00:00Z');
const newer = { updatedAt: '2026-02-28T00:00:00Z' };

describe('shipped defaults', () => {
  it('exist and validate for all six entity types, covering every survivable attribute', () => {
    for (const entity of ENTITY_TYPES) {
      const config = DEFAULT_SURVIVORSHIP_CONFIGS[entity];
      expect(survivorshipConfigSchema.safeParse(config).success).toBe(true);
      const covered = [...Object.keys(config.attributes), ...Object.values(config.groups).flatMap((g) => g.attributes)];
      expect(covered.sort()).toEqual(survivableAttributes(entity).sort());
    }
  });

  it('ERP wins price (with its currency) even against a newer CRM price', () => {
    const { attributes } = surviveGoldenRecord(
      [
        rec('crm', 'C1', { partNumber: 'PMP-200', price: 990, currency: 'USD' }, newer),
        rec('erp', 'E1', { partNumber: 'PMP200', price: 1290, currency: 'EUR' }),
        rec('fsm', 'F1', { price: 1000 }, newer),
      ],
      DEFAULT_SURVIVORSHIP_CONFIGS.product,
      [],
      clock,
    );
    expect(attributes.price).toMatchObject({ value: 1290, lineage: { source: 'erp', sourceId: 'E1', strategy: 'sourcePriority', group: 'pricing' } });
    expect(attributes.currency).toMatchObject({ value: 'EUR', lineage: { source: 'erp' } });
    expect(attributes.price).toMatchObject({ losers: [{ value: 990, source: 'crm', sourceId: 'C1' }, { value: 1000, source: 'fsm', sourceId: 'F1' }] });
    // compact comparison: 'PMP-200' and 'PMP200' are the same part number, nothing lost
    expect(attributes.partNumber).toMatchObject({ value: 'PMP200', lineage: { strategy: 'onlyValue', source: 'erp' } });
    expect(attributes.partNumber).not.toHaveProperty('losers');
  });

  it('CRM wins email; phones are aggregated with CRM first', () => {
    const { attributes } = surviveGoldenRecord(
      [
        rec('erp', 'E1', { email: 'billing@krueger.de', phone: '+49 711 123456' }, newer),
        rec('crm', 'C1', { email: 'anna.krueger@krueger.de', phone: '+49 170 1234567' }),
        rec('fsm', 'F1', { email: 'site@krueger.de', phone: '+49 711 123-456' }, newer),
      ],
      DEFAULT_SURVIVORSHIP_CONFIGS.customer,
      [],
      clock,
    );
    expect(attributes.email).toMatchObject({ value: 'anna.krueger@krueger.de', lineage: { source: 'crm', strategy: 'sourcePriority' } });
    const phone = attributes.phone;
    expect(isAggregateAttribute(phone) && phone.values.map((v) => [v.value, v.lineage.source])).toEqual([
      ['+49 170 1234567', 'crm'],
      ['+49 711 123456', 'erp'],
    ]);
  });

  it('FSM wins installDate and asset status; ERP wins the serial number', () => {
    const { attributes } = surviveGoldenRecord(
      [
        rec('erp', 'E1', { serialNumber: 'SN-00A7-4411', installDate: '2024-05-01', status: 'shipped' }, newer),
        rec('fsm', 'F1', { serialNumber: 'SN-00A7-44I1', installDate: '2024-05-17', status: 'installed' }),
      ],
      DEFAULT_SURVIVORSHIP_CONFIGS.asset,
      [],
      clock,
    );
    expect(attributes.installDate).toMatchObject({ value: '2024-05-17', lineage: { source: 'fsm', strategy: 'sourcePriority' } });
    expect(attributes.status).toMatchObject({ value: 'installed', lineage: { source: 'fsm' } });
    expect(attributes.serialNumber).toMatchObject({ value: 'SN-00A7-4411', lineage: { source: 'erp' } });
  });

  it('leaves references out of the golden attributes', () => {
    const { attributes } = surviveGoldenRecord(
      [rec('fsm', 'F1', { serialNumber: 'X1', customerRef: 'C-1', locationRef: 'L-1', productRef: 'P-1' })],
      DEFAULT_SURVIVORSHIP_CONFIGS.asset,
      [],
      clock,
    );
    expect(Object.keys(attributes)).toEqual(['serialNumber']);
    for (const name of REFERENCE_ATTRIBUTES) expect(attributes).not.toHaveProperty(name);
  });

  it('takes contract start and end dates from the same record', () => {
    const { attributes } = surviveGoldenRecord(
      [rec('erp', 'E1', { startDate: '2025-01-01' }), rec('crm', 'C1', { startDate: '2024-07-01', endDate: '2027-06-30' })],
      DEFAULT_SURVIVORSHIP_CONFIGS.contract,
      [],
      clock,
    );
    expect(attributes.startDate).toMatchObject({ value: '2025-01-01', lineage: { source: 'erp', group: 'term' } });
    expect(attributes).not.toHaveProperty('endDate');
  });

  it('hands out independent copies', () => {
    const copy = defaultSurvivorshipConfig('customer');
    copy.attributes.email = { strategies: [{ strategy: 'mostRecent' }] };
    expect(DEFAULT_SURVIVORSHIP_CONFIGS.customer.attributes.email.strategies[0]).toMatchObject({ strategy: 'sourcePriority' });
  });
});
