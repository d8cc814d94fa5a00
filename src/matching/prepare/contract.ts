import type { PreparedValue } from '../model/prepared-record';
import { fold, isoDate } from '../standardize';
import { attributeList, attributeText, distinctSorted } from './attributes';
import type { PrepareContext, PrepareInput, PreparedRecord } from './types';

/**
 * Prepare a service-contract record for matching.
 *
 * Fields: `contractNorm` (uppercase alphanumerics of the contract number), `customerKey` (cluster
 * key of `customerRef`), `assetKeys` (cluster keys of `assetRefs`), `startDate`, `endDate`,
 * `serviceLevel` (first three letters of the level's first word: 'SILV' and 'Silver NBD' agree).
 *
 * @example
 * ```ts
 * prepareContract({ id: 0, source: 'erp', sourceId: 'K1', attributes: { contractNumber: 'SC-26-000001' } }, NO_REFERENCES).fields.contractNorm
 * // 'SC26000001'
 * ```
 */
export function prepareContract(input: PrepareInput, context: PrepareContext): PreparedRecord {
  const a = input.attributes;
  const number = attributeText(a, 'contractNumber');
  const customerRef = attributeText(a, 'customerRef');
  const assetKeys = distinctSorted(attributeList(a, 'assetRefs').map((id) => context.ref('asset', id, input.source)));
  const level = attributeText(a, 'serviceLevel');
  const levelWord = level ? fold(level).match(/[a-z]+/)?.[0] : undefined;
  const fields: Record<string, PreparedValue> = {
    contractNorm: number ? number.toUpperCase().replace(/[^A-Z0-9]/g, '') || null : null,
    customerKey: customerRef ? context.ref('customer', customerRef, input.source) : null,
    assetKeys,
    startDate: isoDate(attributeText(a, 'startDate')),
    endDate: isoDate(attributeText(a, 'endDate')),
    serviceLevel: levelWord ? levelWord.slice(0, 3) : null,
  };
  return { id: input.id, source: input.source, fields };
}
