import type { PreparedValue } from '../model/prepared-record';
import { isoDate, partNumber, tokenize } from '../standardize';
import { serialForms } from './serial-key';
import { attributeText, distinctSorted } from './attributes';
import { unitKeys } from './units';
import type { PrepareContext, PrepareInput, PreparedRecord } from './types';

/**
 * Prepare an installed-asset record for matching.
 *
 * Fields: `serialAny`, `serialNorm`, `serialOcr`, `serialCut` (as for serial records, see
 * `prepareSerial`), `productKey` (cluster key of `productRef`), `partNorm`,
 * `partSkeleton`, `productIds` (`p:` product key and `n:` part skeleton), `unitKeys` (serial with product, see `unitKeys`), `customerKey` and
 * `locationKey` (cluster keys of the references), `nameTokens`, `installDate`.
 *
 * @example
 * ```ts
 * const ctx = { ref: (entity: string, id: string) => `${entity}:${id}` };
 * prepareAsset({ id: 0, source: 'fsm', sourceId: 'a1', attributes: { serialNumber: 'SN-00A7-4411', partNumber: 'PMP-200', customerRef: 'C-1' } }, ctx).fields.customerKey
 * // 'customer:C-1'
 * ```
 */
export function prepareAsset(input: PrepareInput, context: PrepareContext): PreparedRecord {
  const a = input.attributes;
  const serialText = attributeText(a, 'serialNumber');
  const serial = serialForms(serialText, input.source);
  const whole = serial && !serial.cut ? serial : null;
  const partText = attributeText(a, 'partNumber');
  const part = partNumber(partText);
  const ref = (entity: 'product' | 'customer' | 'location', key: string) => {
    const id = attributeText(a, key);
    return id ? context.ref(entity, id, input.source) : null;
  };
  const productKey = ref('product', 'productRef');
  const name = attributeText(a, 'name');
  const nameTokens = name ? tokenize(name) : [];
  const units = unitKeys(serialText, productKey, partText, input.source);
  const fields: Record<string, PreparedValue> = {
    serialAny: serial?.norm ?? null,
    serialNorm: whole?.norm ?? null,
    serialOcr: whole?.ocr ?? null,
    serialCut: serial?.cut ? serial.ocr : null,
    productKey,
    partNorm: part?.normalized || null,
    partSkeleton: part?.skeleton || null,
    productIds: distinctSorted([productKey && `p:${productKey}`, part?.skeleton && `n:${part.skeleton}`]),
    unitKeys: units.length > 0 ? units : null,
    customerKey: ref('customer', 'customerRef'),
    locationKey: ref('location', 'locationRef'),
    nameTokens: nameTokens.length > 0 ? nameTokens : null,
    installDate: isoDate(attributeText(a, 'installDate')),
  };
  return { id: input.id, source: input.source, fields };
}
