import { describe, expect, it } from 'vitest';
import { prepareAsset } from './asset';
import { prepareSerial } from './serial';
import { isCutSerial, serialForms } from './serial-key';
import { NO_REFERENCES } from './types';
import { unitKeys } from './units';

describe('serials cut at a source field length', () => {
  it('flags a value that fills the ERP field, but not a zero-padded number or another source', () => {
    expect(isCutSerial('Ser.No. PMP200X-24', 'erp')).toBe(true); // 18 characters
    expect(isCutSerial('Ser.No. PMP200X-2', 'erp')).toBe(false); // 17: it fitted
    expect(isCutSerial('000000000001000231', 'erp')).toBe(false); // padded to fit
    expect(isCutSerial('Ser.No. PMP200X-24', 'crm')).toBe(false);
    expect(isCutSerial('Ser.No. PMP200X-24', undefined)).toBe(false);
    expect(isCutSerial('ABCDEFGHIJ', 'legacy', { legacy: 10 })).toBe(true);
  });

  it('keeps the forms of a cut value apart from whole ones in the prepared fields', () => {
    expect(serialForms('Ser.No. PMP200X-24', 'erp')).toEqual({ norm: 'PMP200X24', ocr: 'PMP200X24', cut: true });
    expect(serialForms('Ser.No. PMP200X-24')?.cut).toBe(false);
    const cut = prepareSerial({ id: 0, source: 'erp', sourceId: '1', attributes: { serialNumber: 'Ser.No. PMP200X-24' } }, NO_REFERENCES);
    expect(cut.fields).toMatchObject({ serialAny: 'PMP200X24', serialNorm: null, serialOcr: null, serialCut: 'PMP200X24' });
    const whole = prepareSerial({ id: 1, source: 'erp', sourceId: '2', attributes: { serialNumber: 'PMP200X-24-000017' } }, NO_REFERENCES);
    expect(whole.fields).toMatchObject({ serialAny: 'PMP200X24000017', serialNorm: 'PMP200X24000017', serialOcr: 'PMP200X24000017', serialCut: null });
    const asset = prepareAsset({ id: 2, source: 'erp', sourceId: '3', attributes: { serialNumber: 'S/N: pmp200x-24-00', partNumber: 'PMP-200' } }, NO_REFERENCES);
    expect(asset.fields).toMatchObject({ serialOcr: null, serialCut: 'PMP200X2400', unitKeys: null });
  });

  it('gives a cut serial no installed-unit key (the beginning of a serial is shared by many units)', () => {
    expect(unitKeys('Ser.No. PMP200X-24', 'G-P-1', 'PMP-200', 'erp')).toEqual([]);
    expect(unitKeys('Ser.No. PMP200X-24', 'G-P-1', 'PMP-200', 'crm')).toHaveLength(2);
  });
});
