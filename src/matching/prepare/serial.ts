import type { PreparedValue } from '../model/prepared-record';
import { isoDate, partNumber, tokenize } from '../standardize';
import { serialForms } from './serial-key';
import { attributeText } from './attributes';
import { manufacturerKey } from './product';
import type { PrepareContext, PrepareInput, PreparedRecord } from './types';

/**
 * Prepare a serial-number record for matching.
 *
 * Fields: `serialNorm` (uppercase, separators and "SN" labels removed), `serialOcr` (OCR
 * confusions folded: 0/O, 1/I/L, 5/S, 8/B; see `serialForms`), both null for a serial that may
 * have been cut at its source's field length, whose OCR-folded form is `serialCut` instead;
 * `serialAny` (the normalized serial, whole or cut), `productKey` (cluster key of `productRef`),
 * `partNorm`, `partSkeleton`, `manufacturerKey`, `manufactureDate`, `plant`, `batch`.
 *
 * @example
 * ```ts
 * const r = prepareSerial({ id: 0, source: 'erp', sourceId: 'S1', attributes: { serialNumber: 'SN-100000I', partNumber: 'PMP-100' } }, NO_REFERENCES);
 * r.fields.serialOcr // '1000001'
 * ```
 */
export function prepareSerial(input: PrepareInput, context: PrepareContext): PreparedRecord {
  const a = input.attributes;
  const serial = serialForms(attributeText(a, 'serialNumber'), input.source);
  const whole = serial && !serial.cut ? serial : null;
  const part = partNumber(attributeText(a, 'partNumber'));
  const productRef = attributeText(a, 'productRef');
  const plant = attributeText(a, 'plant');
  const batch = attributeText(a, 'batch');
  const fields: Record<string, PreparedValue> = {
    serialAny: serial?.norm ?? null,
    serialNorm: whole?.norm ?? null,
    serialOcr: whole?.ocr ?? null,
    serialCut: serial?.cut ? serial.ocr : null,
    productKey: productRef ? context.ref('product', productRef, input.source) : null,
    partNorm: part?.normalized || null,
    partSkeleton: part?.skeleton || null,
    manufacturerKey: manufacturerKey(attributeText(a, 'manufacturer')),
    manufactureDate: isoDate(attributeText(a, 'manufactureDate')),
    plant: plant ? tokenize(plant).join(' ') || null : null,
    batch: batch ? batch.toUpperCase().replace(/[^A-Z0-9]/g, '') || null : null,
  };
  return { id: input.id, source: input.source, fields };
}
