import { describe, expect, it } from 'vitest';
import { contentHash, validateCanonical } from './canonical-record';
import { toStore } from './sync.service';

describe('toStore', () => {
  const inputs = [
    { entity: 'customer', source: 'erp', sourceId: '1000001', updatedAt: '2025-11-02T14:05:31Z', kind: 'organization', name: 'Krüger GmbH', sourcePayload: { BusinessPartner: '1000001', to_BPRelationship: { results: [] }, Note: 'line\nbreak "quoted" \u2028' } },
    { entity: 'asset', source: 'fsm', sourceId: 'ab12', deleted: true, serialNumber: 'SN-1' },
    { entity: 'product', source: 'crm', sourceId: '01t5g00000AbCdEAAZ', updatedAt: '2024-01-01', price: 12.5, name: '日本語' },
  ];
  it.each(inputs)('hashes like contentHash and keeps the raw record as JSON text ($sourceId)', (input) => {
    const v = validateCanonical(input);
    if (!v.ok) throw new Error(v.reason);
    const item = toStore(v.record);
    expect(item.hash).toBe(contentHash(v.record));
    expect(JSON.parse(item.rawText)).toEqual(v.record.raw);
    expect(item.record).toBe(v.record);
  });
});
