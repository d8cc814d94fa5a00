import { serialNumber } from '../standardize';

/**
 * Normalized and OCR-folded forms of a serial number. `ocr` also drops leading zeros and a
 * leading "SN" label that OCR turned into "5N" (or that ran into the number without a
 * separator), so "SN-0001000906", "1000906" and "5N1000906" share one key.
 *
 * @example
 * ```ts
 * serialForms('5N06D01006')   // { norm: '5N06D01006', ocr: '6001006' }
 * serialForms('0001000906').ocr === serialForms('SN-1000906').ocr // true
 * ```
 */
export function serialForms(text: string | null): { norm: string; ocr: string } | null {
  const serial = serialNumber(text);
  if (!serial || serial.normalized === '') return null;
  const ocr = serial.ocrKey.replace(/^5N/, '').replace(/^0+/, '');
  return { norm: serial.normalized, ocr: ocr === '' ? '0' : ocr };
}
