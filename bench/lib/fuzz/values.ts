import type { Rng } from '../../../src/sim/world/random';

/**
 * Hostile values for the fuzz run: SQL injection strings, awkward Unicode, control characters,
 * oversized strings, invalid dates, prototype keys, random JSON, deep nesting. Every generator
 * draws from the `Rng` it is given, so a case is reproduced by its seed.
 */

export const SQL_INJECTIONS: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE source_record; --",
  "'); DROP TABLE golden_record; --",
  "1; DELETE FROM api_key; --",
  '" OR ""="',
  "' UNION SELECT secret_hash FROM api_key --",
  "1' AND pg_sleep(5) IS NULL --",
  "'||(SELECT version())||'",
  '$$; DROP TABLE xref; $$',
  "E'\\x27; TRUNCATE inbox_event; --",
  "%' AND 1=1 --",
  '1)) OR ((1=1',
  "Robert'); DROP TABLE quarantine;--",
  "' ; COPY api_key TO '/tmp/keys' --",
  '$1',
  "\\'; ALTER TABLE api_key DROP COLUMN role; --",
  "'; UPDATE api_key SET role='admin'; --",
  '*/ DROP TABLE outbox; /*',
];

export const UNICODE: readonly string[] = [
  'Krüger Maschinenbau GmbH',
  'Straße',
  '🏭🔧',
  'e\u0301',
  '\u202eevil\u202c',
  'zero\u200bwidth',
  '工业泵',
  'ＦＵＬＬ１２３',
  'İstanbul',
  '\ufeffbom',
  'line\u2028sep',
  'Ω≈ç√∫',
  '\u{1F600}\u{1F3FD}',
  'ﷺ',
  'Ǆǅǆ',
];

export const CONTROL: readonly string[] = ['\t', '\n', '\r\n', '\u0001', '\u001b[31m', '\u007f', '\u0085', '\b', '\f', '\u000b'];

/** Characters PostgreSQL cannot store in text or jsonb. */
export const UNSTORABLE: readonly string[] = ['\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\udbff'];

export const INVALID_DATES: readonly string[] = [
  '2026-02-30',
  '2025-02-29',
  '2025-13-01',
  '2026-00-10',
  '0000-00-00',
  '2026-1-1',
  '2026-01-32',
  '2026-04-31',
  '31.12.2025',
  'yesterday',
  '2026-01-01T25:00:00Z',
  '2026-01-01T10:61:00Z',
  '2026-01-01T00:00:00+25:00',
  '99999-01-01',
  '2026/01/01',
  '',
];

export const VALID_DATES: readonly string[] = ['2024-02-29', '2026-01-31', '1999-12-31', '2026-02-28', '2000-02-29'];

export const PROTO_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

export const NUMBER_STRINGS: readonly string[] = ['12', '1e5', '-0', '0x10', 'Infinity', 'NaN', '1,5', ' 7 ', '1e400', '.5', '+3'];

export const WEIRD_NUMBERS: readonly number[] = [0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.1, -0, 2147483648, -2147483649, 1e-320];

/** A random string of `length` code units from a mixed alphabet (printable, Unicode, control). */
export function randomString(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const r = rng.int(100);
    if (r < 60) s += String.fromCharCode(32 + rng.int(95));
    else if (r < 80) s += String.fromCharCode(0xa0 + rng.int(0x2f00));
    else if (r < 90) s += String.fromCharCode(rng.int(32));
    else if (r < 95) s += String.fromCodePoint(0x1f300 + rng.int(0x300));
    else s += String.fromCharCode(0xd800 + rng.int(0x800));
  }
  return s;
}

/** Random bytes, sometimes valid UTF-8 text with invalid sequences mixed in. */
export function randomBytes(rng: Rng, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.chance(0.7) ? 32 + rng.int(95) : rng.int(256);
  return out;
}

/** A hostile string that PostgreSQL can store (no NUL, no lone surrogate). */
export function storableHostileString(rng: Rng): string {
  switch (rng.int(7)) {
    case 0:
      return rng.pick(SQL_INJECTIONS);
    case 1:
      return rng.pick(UNICODE);
    case 2:
      return `a${rng.pick(CONTROL)}b`;
    case 3:
      return rng.pick(PROTO_KEYS);
    case 4:
      return 'x'.repeat(rng.range(1000, 60_000));
    case 5:
      return `${rng.pick(SQL_INJECTIONS)}${rng.pick(UNICODE)}`;
    default:
      return randomString(rng, rng.range(1, 40)).replace(/[\u0000\ud800-\udfff]/g, '?');
  }
}

/** Any hostile string, storable or not. */
export function hostileString(rng: Rng): string {
  if (rng.chance(0.1)) return rng.pick(UNSTORABLE);
  if (rng.chance(0.05)) return 'é'.repeat(rng.range(33_000, 40_000));
  if (rng.chance(0.1)) return randomString(rng, rng.range(0, 64));
  return storableHostileString(rng);
}

/** `depth` nested arrays or objects around a leaf, as JSON text (built without recursion). */
export function deepJsonText(depth: number, kind: 'array' | 'object', leaf = '1'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
}

/** A random JSON value of bounded size. */
export function randomJson(rng: Rng, budget = 6): unknown {
  const r = rng.int(budget <= 0 ? 6 : 9);
  switch (r) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.chance(0.5) ? rng.pick(WEIRD_NUMBERS) : rng.int(1000);
    case 3:
      return hostileString(rng);
    case 4:
      return rng.pick(NUMBER_STRINGS);
    case 5:
      return rng.pick(INVALID_DATES);
    case 6:
    case 7: {
      const o: Record<string, unknown> = {};
      const n = rng.int(4);
      for (let i = 0; i < n; i++) defineKey(o, rng.chance(0.2) ? rng.pick(PROTO_KEYS) : randomString(rng, rng.range(1, 8)), randomJson(rng, budget - 2));
      return o;
    }
    default: {
      const n = rng.int(4);
      return Array.from({ length: n }, () => randomJson(rng, budget - 2));
    }
  }
}

/** Sets an own property, even `__proto__` (which plain assignment would turn into a prototype change). */
export function defineKey(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Cuts a text somewhere (truncated JSON). */
export function truncate(rng: Rng, text: string): string {
  return text.slice(0, rng.int(Math.max(1, text.length)));
}

/** Replaces, inserts or deletes a few characters of a text. */
export function mutateText(rng: Rng, text: string): string {
  let s = text;
  const n = rng.range(1, 4);
  for (let i = 0; i < n; i++) {
    const at = rng.int(s.length + 1);
    const piece = rng.pick(['"', '{', '}', '[', ']', ',', ':', '\\', '\u0000', 'null', '1e999', '\n', "'", '\\u', '\\ud800', ' ', '']);
    switch (rng.int(3)) {
      case 0:
        s = s.slice(0, at) + piece + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + rng.range(1, 8));
        break;
      default:
        s = s.slice(0, at) + piece + s.slice(at + 1);
    }
  }
  return s;
}
