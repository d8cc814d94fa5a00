import { describe, expect, it } from 'vitest';
import { contentHash, parseIsoTimestamp, validateCanonical } from './canonical-record';

const base = { entity: 'customer', source: 'crm', sourceId: 'A1' };

function reason(input: unknown, options = {}): string {
  const r = validateCanonical(input, options);
  if (r.ok) throw new Error('expected a rejection');
  return r.reason;
}

describe('validateCanonical', () => {
  it('accepts a canonical record, keeps unknown fields in raw and known ones in attributes', () => {
    const r = validateCanonical({ ...base, updatedAt: '2026-03-01T10:00:00Z', name: 'Krüger Maschinenbau GmbH', crmSegment: 'A' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.record.attributes).toEqual({ name: 'Krüger Maschinenbau GmbH' });
    expect(r.record.raw.crmSegment).toBe('A');
    expect(r.record.updatedAt).toBe('2026-03-01T10:00:00.000Z');
    expect(r.record.deleted).toBe(false);
  });

  it('names a missing or malformed envelope field', () => {
    expect(reason({ source: 'crm', sourceId: 'A1' })).toMatch(/^entity is missing/);
    expect(reason({ ...base, entity: 'machine' })).toMatch(/entity "machine" is not one of customer, product/);
    expect(reason({ ...base, source: 'ERP!' })).toMatch(/source "ERP!" is invalid/);
    expect(reason({ ...base, sourceId: '' })).toBe('sourceId is missing');
    expect(reason({ ...base, sourceId: 'x'.repeat(129) })).toBe('sourceId is 129 characters long (at most 128)');
    expect(reason({ ...base, sourceId: { id: 1 } })).toBe('sourceId must be a string, got an object');
  });

  it('rejects a date that is not ISO-8601 with the value in the message', () => {
    expect(reason({ ...base, updatedAt: '2024-13-01' })).toBe('updatedAt "2024-13-01" is not a date (expected ISO-8601)');
    expect(reason({ ...base, updatedAt: '01.02.2024' })).toMatch(/not a date/);
    expect(reason({ ...base, kind: 'person', dateOfBirth: '1970-02-30' })).toMatch(/dateOfBirth "1970-02-30" is not a date/);
  });

  it('rejects wrong types: object for a string, text for a number, a non-list ref list, an unknown enum value', () => {
    expect(reason({ ...base, name: { first: 'x' } })).toBe('name must be a string, got an object');
    expect(reason({ entity: 'product', source: 'erp', sourceId: 'P1', price: 'cheap' })).toBe('price must be a number, got string "cheap"');
    expect(reason({ entity: 'contract', source: 'erp', sourceId: 'K1', assetRefs: 'A1' })).toBe('assetRefs must be a list of sourceIds, got string "A1"');
    expect(reason({ ...base, kind: 'robot' })).toBe('kind "robot" is not one of organization, person');
    expect(reason({ ...base, deleted: 'yes' })).toBe('deleted must be true or false, got string "yes"');
  });

  it('lists every problem of a record at once', () => {
    expect(reason({ entity: 'customer', sourceId: 'A1', updatedAt: 'soon' })).toBe(
      'source is missing (a system name such as erp, crm, fsm); updatedAt "soon" is not a date (expected ISO-8601)',
    );
  });

  it('rejects a field over 64 KB, known or unknown', () => {
    expect(reason({ ...base, name: 'x'.repeat(70_000) })).toBe('field name is 70000 bytes (at most 65536)');
    expect(reason({ ...base, notes: 'ü'.repeat(40_000) })).toBe('field notes is 80000 bytes (at most 65536)');
  });

  it('reads CSV text values: booleans, numbers and |-separated ref lists', () => {
    const r = validateCanonical(
      { entity: 'contract', source: 'erp', sourceId: 'K1', deleted: 'true', assetRefs: 'A1|A2' },
      { fromText: true },
    );
    expect(r.ok && r.record.deleted).toBe(true);
    expect(r.ok && r.record.attributes.assetRefs).toEqual(['A1', 'A2']);
    const p = validateCanonical({ entity: 'product', source: 'erp', sourceId: 'P1', price: '12.50' }, { fromText: true });
    expect(p.ok && p.record.attributes.price).toBe(12.5);
  });

  it('fills a missing entity and source from the defaults and refuses a conflicting one', () => {
    const r = validateCanonical({ sourceId: 'A1' }, { defaultEntity: 'customer', defaultSource: 'crm' });
    expect(r.ok && [r.record.entity, r.record.source]).toEqual(['customer', 'crm']);
    expect(reason({ ...base, entity: 'product' }, { defaultEntity: 'customer' })).toBe(
      'entity "product" differs from the requested entity "customer"',
    );
  });

  it('gives equal content the same hash and different content a different one', () => {
    const a = validateCanonical({ ...base, name: 'A' });
    const b = validateCanonical({ ...base, name: 'A' });
    const c = validateCanonical({ ...base, name: 'B' });
    if (!a.ok || !b.ok || !c.ok) throw new Error('valid input');
    expect(contentHash(a.record)).toBe(contentHash(b.record));
    expect(contentHash(a.record)).not.toBe(contentHash(c.record));
  });
});

describe('parseIsoTimestamp', () => {
  it('normalizes ISO forms to UTC and rejects impossible dates', () => {
    expect(parseIsoTimestamp('2026-03-01')).toBe('2026-03-01T00:00:00.000Z');
    expect(parseIsoTimestamp('2026-03-01T12:00:00+02:00')).toBe('2026-03-01T10:00:00.000Z');
    expect(parseIsoTimestamp('2026-03-01T12:00:00+0200')).toBe('2026-03-01T10:00:00.000Z');
    expect(parseIsoTimestamp('2026-03-01T12:00')).toBe('2026-03-01T12:00:00.000Z');
    expect(parseIsoTimestamp('2024-02-30')).toBeNull();
    expect(parseIsoTimestamp('2024-01-01T25:00:00Z')).toBeNull();
    expect(parseIsoTimestamp('March 1st')).toBeNull();
  });
});
