import { describe, expect, it } from 'vitest';
import { salesforceId, salesforceSuffix, serviceNowSysId, sourceIdFor, trueIdFor } from './ids';

describe('source ids', () => {
  it('computes the Salesforce checksum suffix', () => {
    expect(salesforceSuffix('0015g00000AbCdE')).toBe('AAV');
    const id = salesforceId('001', 1_000_000_000);
    expect(id).toHaveLength(18);
    expect(id.startsWith('0015g')).toBe(true);
    expect(salesforceSuffix(id.slice(0, 15))).toBe(id.slice(15));
  });

  it('issues unique ids per source style', () => {
    const sets = { erp: new Set<string>(), crm: new Set<string>(), fsm: new Set<string>() };
    for (let i = 0; i < 20_000; i++) {
      for (const s of ['erp', 'crm', 'fsm'] as const) sets[s].add(sourceIdFor(42, s, 'asset', i));
    }
    for (const s of Object.values(sets)) expect(s.size).toBe(20_000);
    expect(sourceIdFor(42, 'erp', 'customer', 45)).toBe('1000045');
    expect(sourceIdFor(42, 'crm', 'customer', 0, true).startsWith('0035g')).toBe(true);
    expect(serviceNowSysId(42, 'core_company', 7)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('formats true ids', () => {
    expect(trueIdFor('customer', 122)).toBe('C000123');
    expect(trueIdFor('contract', 0)).toBe('K000001');
    expect(trueIdFor('serial', 1_234_567)).toBe('S1234568');
  });
});
