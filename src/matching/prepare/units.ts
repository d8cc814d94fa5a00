/*
 * Installed units as evidence for customers: two customer records that own the same physical unit
 * (same serial number of the same product) are likely the same customer. The keys are computed
 * from asset records by the caller and handed to the customer prepare step.
 */

import { partNumber } from '../standardize';
import { serialForms } from './serial-key';
import { attributeText } from './attributes';
import type { PrepareContext, PrepareInput } from './types';

/**
 * Keys of one installed unit: its OCR-folded serial number with the product's cluster key, and
 * with the part-number skeleton, so that records with either kind of product reference meet.
 * Empty without a serial number, for a serial that may have been cut at the `source`'s field
 * length (the beginning of a serial is shared by many units), or without any product identity.
 *
 * @example
 * ```ts
 * unitKeys('SN-1002841', 'G-P-17', 'INV-120') // ['1002841|n:1NV120', '1002841|p:G-P-17']
 * ```
 */
export function unitKeys(serial: string | null, productKey: string | null, part: string | null, source?: string): string[] {
  const s = serialForms(serial, source);
  if (!s || s.cut || s.ocr.length < 3) return [];
  const keys: string[] = [];
  const skeleton = partNumber(part)?.skeleton;
  if (skeleton) keys.push(`${s.ocr}|n:${skeleton}`);
  if (productKey) keys.push(`${s.ocr}|p:${productKey}`);
  return keys.sort();
}

/**
 * Owned-unit keys per customer record, from asset records: `source + '\u0000' + customerRef` ->
 * sorted unit keys. The product key comes from the asset's `productRef` through `context.ref`.
 * Pass the result to the customer prepare step via `PrepareContext.ownedUnits`.
 *
 * @example
 * ```ts
 * const owned = ownedUnitsByCustomer(assets, context);
 * const customerContext = { ...context, ownedUnits: (source, id) => owned.get(`${source}\u0000${id}`) ?? [] };
 * ```
 */
export function ownedUnitsByCustomer(assets: Iterable<PrepareInput>, context: PrepareContext): Map<string, string[]> {
  const sets = new Map<string, Set<string>>();
  for (const asset of assets) {
    const customerRef = attributeText(asset.attributes, 'customerRef');
    if (!customerRef) continue;
    const productRef = attributeText(asset.attributes, 'productRef');
    const productKey = productRef ? context.ref('product', productRef, asset.source) : null;
    const keys = unitKeys(attributeText(asset.attributes, 'serialNumber'), productKey, attributeText(asset.attributes, 'partNumber'), asset.source);
    if (keys.length === 0) continue;
    const key = `${asset.source}\u0000${customerRef}`;
    let set = sets.get(key);
    if (!set) sets.set(key, (set = new Set()));
    for (const k of keys) set.add(k);
  }
  const out = new Map<string, string[]>();
  for (const [key, set] of sets) out.set(key, [...set].sort());
  return out;
}
