/*
 * Reading canonical attributes defensively: adapters deliver strings, numbers, lists or nothing.
 */

import { toText } from '../standardize';

/**
 * An attribute as trimmed text; numbers become text; anything else (or blank) is null.
 *
 * @example
 * ```ts
 * attributeText({ postalCode: 80331 }, 'postalCode') // '80331'
 * ```
 */
export function attributeText(attributes: Readonly<Record<string, unknown>>, key: string): string | null {
  const value = attributes[key];
  if (typeof value === 'string') return toText(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * An attribute as a finite number (numeric text accepted, decimal comma too); null otherwise.
 *
 * @example
 * ```ts
 * attributeNumber({ price: '1.234,50' }, 'price') // 1234.5
 * ```
 */
export function attributeNumber(attributes: Readonly<Record<string, unknown>>, key: string): number | null {
  const value = attributes[key];
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  let text = value.replace(/[^\d.,-]/g, '');
  if (text === '') return null;
  const comma = text.lastIndexOf(',');
  const dot = text.lastIndexOf('.');
  if (comma > dot) text = text.replace(/\./g, '').replace(',', '.');
  else text = text.replace(/,/g, '');
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/**
 * An attribute holding a list of references: an array of strings, or one text split on `|`.
 *
 * @example
 * ```ts
 * attributeList({ assetRefs: 'a1|a2' }, 'assetRefs') // ['a1', 'a2']
 * ```
 */
export function attributeList(attributes: Readonly<Record<string, unknown>>, key: string): string[] {
  const value = attributes[key];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split('|') : [];
  const out: string[] = [];
  for (const item of items) {
    const text = typeof item === 'string' ? toText(item) : typeof item === 'number' ? String(item) : null;
    if (text) out.push(text);
  }
  return out;
}

/**
 * Sorted distinct non-empty strings, or null when none remain (a prepared list is never empty).
 *
 * @example
 * ```ts
 * distinctSorted(['b', 'a', 'b', '']) // ['a', 'b']
 * ```
 */
export function distinctSorted(values: Iterable<string | null | undefined>): string[] | null {
  const set = new Set<string>();
  for (const v of values) if (v) set.add(v);
  return set.size > 0 ? [...set].sort() : null;
}
