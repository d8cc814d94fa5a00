import { serialNumber } from '../standardize';

/**
 * Serial-number field lengths of source systems that cut longer values, by source name. SAP's
 * equipment `SerialNumber` holds 18 characters, so a nameplate serial typed with its label
 * (`Ser.No. PMP200X-24-000017`) is stored as `Ser.No. PMP200X-24`: what remains is shared by every
 * unit of that product and year. The shipped table names the demo's ERP source (`erp`);
 * `MDM_SERIAL_FIELD_LIMITS="erp=18,legacy=20"` replaces it (`MDM_SERIAL_FIELD_LIMITS=` for none).
 */
export const SERIAL_FIELD_LIMITS: Readonly<Record<string, number>> = parseLimits(process.env.MDM_SERIAL_FIELD_LIMITS) ?? { erp: 18 };

function parseLimits(text: string | undefined): Record<string, number> | undefined {
  if (text === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^=\s]+)\s*=\s*(\d+)$/.exec(part);
    if (!m || Number(m[2]) < 1) {
      throw new Error(`MDM_SERIAL_FIELD_LIMITS: "${part}" is not source=length (for example "erp=18,legacy=20")`);
    }
    out[m[1]] = Number(m[2]);
  }
  return out;
}

/**
 * True when a serial number of `source` fills the source's field (`SERIAL_FIELD_LIMITS`) and so may
 * have been cut. A value of digits padded with leading zeros to the field's length is whole (the
 * padding shows it fitted).
 *
 * @example
 * ```ts
 * isCutSerial('Ser.No. PMP200X-24', 'erp') // true
 * isCutSerial('000000000001000231', 'erp') // false: zero-padded
 * isCutSerial('Ser.No. PMP200X-24', 'crm') // false: no limit known for crm
 * ```
 */
export function isCutSerial(text: string, source: string | undefined, limits: Readonly<Record<string, number>> = SERIAL_FIELD_LIMITS): boolean {
  const limit = source === undefined ? undefined : limits[source];
  return limit !== undefined && text.length >= limit && !/^0\d*$/.test(text);
}

/**
 * Normalized and OCR-folded forms of a serial number. `ocr` also drops leading zeros and a
 * leading "SN" label that OCR turned into "5N" (or that ran into the number without a
 * separator), so "SN-0001000906", "1000906" and "5N1000906" share one key. With the record's
 * `source`, `cut` says whether the value may have been cut at the source's field length (see
 * `isCutSerial`): then its forms are only the beginning of the real serial.
 *
 * @example
 * ```ts
 * serialForms('5N06D01006')   // { norm: '5N06D01006', ocr: '6001006', cut: false }
 * serialForms('0001000906').ocr === serialForms('SN-1000906').ocr // true
 * serialForms('Ser.No. PMP200X-24', 'erp') // { norm: 'PMP200X24', ocr: 'PMP200X24', cut: true }
 * ```
 */
export function serialForms(text: string | null, source?: string): { norm: string; ocr: string; cut: boolean } | null {
  const serial = serialNumber(text);
  if (!serial || serial.normalized === '') return null;
  const ocr = serial.ocrKey.replace(/^5N/, '').replace(/^0+/, '');
  return { norm: serial.normalized, ocr: ocr === '' ? '0' : ocr, cut: text !== null && isCutSerial(text, source) };
}
