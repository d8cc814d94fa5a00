import { describe, expect, it } from 'vitest';
import { ENTITY_TYPES, type EntityType } from '../../core/entities';
import { generateWorld } from '../../sim/world';
import { PREPARE_REFERENCES, prepareRecord } from '.';
import { prepareAsset } from './asset';
import { prepareContract } from './contract';
import { prepareLocation } from './location';
import { prepareSerial } from './serial';
import { serialForms } from './serial-key';
import type { PrepareContext } from './types';
import { ownedUnitsByCustomer, unitKeys } from './units';

const context: PrepareContext = { ref: (entity, sourceId, source) => `${entity}/${source}/${sourceId}` };

describe('serialForms', () => {
  it('folds OCR confusions, labels and leading zeros', () => {
    expect(serialForms('SN-100000I')?.ocr).toBe('1000001');
    expect(serialForms('0001000906')?.ocr).toBe(serialForms('SN-1000906')?.ocr);
    expect(serialForms('5N06D01006')?.ocr).toBe(serialForms('SN-06D0-1006')?.ocr);
    expect(serialForms('SN-1000001')?.ocr).not.toBe(serialForms('SN-1000002')?.ocr);
    expect(serialForms('  ')).toBeNull();
  });
});

describe('prepareSerial', () => {
  it('resolves the product reference to its cluster key', () => {
    const r = prepareSerial(
      { id: 0, source: 'erp', sourceId: 'S1', attributes: { serialNumber: 'SN-00A7-4411', productRef: 'P1', partNumber: 'PMP-200', manufacturer: 'Hydromec GmbH', manufactureDate: '2024-05-17' } },
      context,
    );
    expect(r.fields).toMatchObject({ serialNorm: '00A74411', productKey: 'product/erp/P1', partNorm: 'PMP200', manufacturerKey: 'hydromec', manufactureDate: '2024-05-17' });
  });
});

describe('prepareAsset', () => {
  it('carries serial, product, customer and location keys', () => {
    const r = prepareAsset(
      { id: 0, source: 'fsm', sourceId: 'a1', attributes: { serialNumber: 'SN-1002841', productRef: 'P9', partNumber: 'INV-120', customerRef: 'C1', locationRef: 'L1', installDate: '20.08.2014' } },
      context,
    );
    expect(r.fields).toMatchObject({
      serialOcr: '1002841',
      productKey: 'product/fsm/P9',
      productIds: ['n:1NV120', 'p:product/fsm/P9'],
      unitKeys: ['1002841|n:1NV120', '1002841|p:product/fsm/P9'],
      customerKey: 'customer/fsm/C1',
      locationKey: 'location/fsm/L1',
      installDate: '2014-08-20',
    });
  });
});

describe('owned units', () => {
  it('collects unit keys per customer record from assets', () => {
    const assets = [
      { id: 0, source: 'erp', sourceId: 'a1', attributes: { serialNumber: 'SN-1', partNumber: 'PMP-200', customerRef: 'C1' } },
      { id: 1, source: 'erp', sourceId: 'a2', attributes: { serialNumber: 'SN-4711', partNumber: 'PMP-200', customerRef: 'C1' } },
      { id: 2, source: 'fsm', sourceId: 'b1', attributes: { serialNumber: '4711', partNumber: 'PMP 200', customerRef: 'X' } },
    ];
    const owned = ownedUnitsByCustomer(assets, { ref: () => null });
    expect(owned.get('erp\u0000C1')).toEqual(['4711|n:PMP200']);
    expect(owned.get('fsm\u0000X')).toEqual(['4711|n:PMP200']);
    expect(unitKeys(null, 'p', 'PMP-200')).toEqual([]);
  });
});

describe('prepareContract', () => {
  it('resolves customer and covered assets', () => {
    const r = prepareContract(
      { id: 0, source: 'crm', sourceId: 'K1', attributes: { contractNumber: 'SC-26-000001', customerRef: 'C1', assetRefs: 'a2|a1', serviceLevel: 'Silver NBD', startDate: '2026-04-25' } },
      context,
    );
    expect(r.fields).toMatchObject({
      contractNorm: 'SC26000001',
      customerKey: 'customer/crm/C1',
      assetKeys: ['asset/crm/a1', 'asset/crm/a2'],
      serviceLevel: 'sil',
      startDate: '2026-04-25',
    });
  });
});

describe('prepareLocation', () => {
  it('standardizes GLN, address and coordinates', () => {
    const r = prepareLocation(
      { id: 0, source: 'fsm', sourceId: 'L1', attributes: { name: 'Werk Süd', gln: '4000001000005', street: 'Hauptstraße 12 a', postalCode: '1067', country: 'DE', latitude: 48.22929, longitude: 16.296477, customerRef: 'C1' } },
      context,
    );
    expect(r.fields).toMatchObject({
      nameNorm: 'werk sued',
      gln: '4000001000005',
      street: 'hauptstrasse',
      houseNumber: '12a',
      postalCode: '01067',
      geoPoint: '48.2293:16.2965',
      customerKey: 'customer/fsm/C1',
    });
  });
});

describe('PREPARE_REFERENCES', () => {
  it('names exactly the entity types each prepare function asks for (real-time resolution looks up only those)', () => {
    const asked = new Map<EntityType, Set<EntityType>>(ENTITY_TYPES.map((e) => [e, new Set()]));
    const seen = new Set<EntityType>();
    for (const { record } of generateWorld({ seed: 11, size: 2000 })) {
      const { entity, source, sourceId, ...attributes } = record as unknown as { entity: EntityType; source: string; sourceId: string } & Record<string, unknown>;
      seen.add(entity);
      const recording: PrepareContext = {
        ref: (target) => {
          asked.get(entity)!.add(target);
          return null;
        },
        ownedUnits: () => [],
      };
      prepareRecord(entity, { id: 0, source, sourceId, attributes }, recording);
    }
    expect([...seen].sort()).toEqual([...ENTITY_TYPES].sort());
    for (const entity of ENTITY_TYPES) expect([...asked.get(entity)!].sort(), entity).toEqual([...PREPARE_REFERENCES[entity]].sort());
  });
});
