/*
 * Derived forms of prepared field values, shared by comparisons, rules, blocking checks and
 * term-frequency tables so they all agree on what "equal" means.
 */

import type { PreparedValue } from '../model/prepared-record';
import { tokenSet } from '../similarity/jaccard';
import { parseDate, type DateParts } from '../similarity/dates';

/** Separator of elements in the key of a list value. */
const ELEMENT_SEPARATOR = '\u001f';

/**
 * Whether a prepared value counts as missing: null, undefined, '', [] or NaN.
 *
 * @example
 * ```ts
 * isMissing('') // true
 * ```
 */
export function isMissing(value: PreparedValue | undefined): value is null | undefined {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.length === 0;
  if (typeof value === 'number') return Number.isNaN(value);
  return value.length === 0;
}

/**
 * The equality key of a value: text as is, numbers as text, lists as their sorted unique elements.
 *
 * @example
 * ```ts
 * valueKey(['b', 'a', 'b']) === valueKey(['a', 'b']) // true
 * ```
 */
export function valueKey(value: PreparedValue | undefined): string | null {
  if (isMissing(value)) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return tokenSet(value).join(ELEMENT_SEPARATOR);
}

/**
 * The text of a value for string similarities; lists are joined with spaces.
 *
 * @example
 * ```ts
 * valueText(['acme', 'gmbh']) // 'acme gmbh'
 * ```
 */
export function valueText(value: PreparedValue | undefined): string | null {
  if (isMissing(value)) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return value.join(' ');
}

/**
 * Sorted unique tokens: a list's elements, or a text split on whitespace.
 *
 * @example
 * ```ts
 * valueTokens('acme gmbh') // ['acme', 'gmbh']
 * ```
 */
export function valueTokens(value: PreparedValue | undefined): string[] | null {
  if (isMissing(value)) return null;
  if (typeof value === 'number') return [String(value)];
  const tokens = tokenSet(value);
  return tokens.length > 0 ? tokens : null;
}

/**
 * Sorted unique trimmed elements: a list's elements, or the single value of a scalar (text is not
 * split). What blocking keys and deterministic rules compare.
 *
 * @example
 * ```ts
 * valueElements('acme gmbh') // ['acme gmbh']
 * ```
 */
export function valueElements(value: PreparedValue | undefined): string[] | null {
  if (isMissing(value)) return null;
  if (Array.isArray(value)) {
    const elements = tokenSet(value.map((element) => element.trim()));
    return elements.length > 0 ? elements : null;
  }
  if (typeof value === 'number') return [String(value)];
  const trimmed = value.trim();
  return trimmed.length > 0 ? [trimmed] : null;
}

/**
 * A finite number from a number or numeric text; null otherwise.
 *
 * @example
 * ```ts
 * valueNumber(' 12.5 ') // 12.5
 * ```
 */
export function valueNumber(value: PreparedValue | undefined): number | null {
  if (isMissing(value) || Array.isArray(value)) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const trimmed = value.trim();
  if (trimmed.length === 0) return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : null;
}

/**
 * Parsed date parts of a `YYYY-MM-DD` value; null otherwise.
 *
 * @example
 * ```ts
 * valueDate('1980-02-01')?.month // 2
 * ```
 */
export function valueDate(value: PreparedValue | undefined): DateParts | null {
  if (typeof value !== 'string') return null;
  return parseDate(value);
}
