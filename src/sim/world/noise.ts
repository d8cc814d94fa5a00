/**
 * Language-independent noise primitives: typing errors, OCR confusions, diacritics folding,
 * case changes, e-mail/website/part-number/date variants. Domain-specific variants (legal forms,
 * street words, phone formats, serial labels) live with their concept (`companies.ts`,
 * `addresses.ts`, `phones.ts`, `serials.ts`).
 *
 * All functions are pure given the `Rng`.
 */
import { civilFromDays, daysOfIso, formatIsoDate, isoDate } from './dates';
import type { Rng } from './random';

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const NEIGHBOURS: Record<string, string> = {};
for (let r = 0; r < KEYBOARD_ROWS.length; r++) {
  const row = KEYBOARD_ROWS[r];
  for (let i = 0; i < row.length; i++) {
    let n = (row[i - 1] ?? '') + (row[i + 1] ?? '');
    const above = KEYBOARD_ROWS[r - 1];
    const below = KEYBOARD_ROWS[r + 1];
    if (above) n += above[i] ?? '';
    if (below) n += below[i] ?? '';
    NEIGHBOURS[row[i]] = n;
  }
}
for (let d = 0; d <= 9; d++) NEIGHBOURS[String(d)] = `${(d + 9) % 10}${(d + 1) % 10}`;

function neighbour(rng: Rng, ch: string): string {
  const lower = ch.toLowerCase();
  const n = NEIGHBOURS[lower];
  if (!n) return ch;
  const out = n[rng.int(n.length)];
  return ch === lower ? out : out.toUpperCase();
}

function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code > 191;
}

/**
 * One typing error: insert, delete, substitute (keyboard neighbour) or transpose, at a random
 * alphanumeric position that is not the first character.
 *
 * @example
 * ```ts
 * typo(rng, 'Maschinenbau') // e.g. 'Maschinenabu', 'Maschnenbau', 'Maschinenbsu'
 * ```
 */
export function typo(rng: Rng, s: string): string {
  if (s.length < 3) return s;
  let i = 1 + rng.int(s.length - 1);
  for (let tries = 0; tries < 4 && !isAlnum(s.charCodeAt(i)); tries++) i = 1 + rng.int(s.length - 1);
  const ch = s[i];
  switch (rng.int(4)) {
    case 0:
      return s.slice(0, i) + neighbour(rng, ch) + s.slice(i);
    case 1:
      return s.slice(0, i) + s.slice(i + 1);
    case 2: {
      const sub = neighbour(rng, ch);
      return sub === ch ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + sub + s.slice(i + 1);
    }
    default:
      if (i >= s.length - 1) i = s.length - 2;
      return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  }
}

/** OCR / reading confusions between digits and letters (both directions). */
export const OCR_CONFUSIONS: Readonly<Record<string, string>> = {
  '0': 'O', O: '0', '1': 'I', I: '1', L: '1', '5': 'S', S: '5', '8': 'B', B: '8', '2': 'Z', Z: '2', '6': 'G', G: '6',
};

/**
 * Replaces one confusable character (0/O, 1/I/L, 5/S, 8/B, 2/Z, 6/G) with its look-alike.
 * Returns the string unchanged when nothing is confusable.
 *
 * @example
 * ```ts
 * ocrConfuse(rng, 'SN-1000231') // e.g. 'SN-100O231' or '5N-1000231'
 * ```
 */
export function ocrConfuse(rng: Rng, s: string): string {
  const positions: number[] = [];
  for (let i = 0; i < s.length; i++) if (OCR_CONFUSIONS[s[i].toUpperCase()] !== undefined) positions.push(i);
  if (positions.length === 0) return s;
  const i = rng.pick(positions);
  const ch = s[i];
  let sub = OCR_CONFUSIONS[ch.toUpperCase()];
  if (ch !== ch.toUpperCase()) sub = sub.toLowerCase();
  if (ch === '1' && rng.chance(0.3)) sub = 'l';
  return s.slice(0, i) + sub + s.slice(i + 1);
}

const GERMAN_EXPANSIONS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ß: 'ss' };
const SPECIAL_LETTERS: Record<string, string> = { ß: 'ss', ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', æ: 'ae', Æ: 'AE', đ: 'd', Đ: 'D' };

/**
 * True when the string has characters outside ASCII.
 *
 * @example
 * ```ts
 * hasDiacritics('Krüger') // true
 * ```
 */
export function hasDiacritics(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return true;
  return false;
}

/**
 * Writes diacritics the way ASCII-only systems do: `expand` turns German umlauts into ae/oe/ue
 * (and ß into ss), `strip` drops all marks (ü → u, ł → l, é → e).
 *
 * @example
 * ```ts
 * foldDiacritics('Krüger Straße', 'expand') // 'Krueger Strasse'
 * foldDiacritics('Krüger', 'strip')         // 'Kruger'
 * foldDiacritics('Łódź', 'strip')           // 'Lodz'
 * ```
 */
export function foldDiacritics(s: string, style: 'expand' | 'strip'): string {
  if (!hasDiacritics(s)) return s;
  let out = '';
  for (const ch of s) {
    if (style === 'expand' && GERMAN_EXPANSIONS[ch]) out += GERMAN_EXPANSIONS[ch];
    else if (SPECIAL_LETTERS[ch]) out += SPECIAL_LETTERS[ch];
    else out += ch;
  }
  return out.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/**
 * A case variant: all upper, all lower, or Title Case.
 *
 * @example
 * ```ts
 * varyCase(rng, 'Krüger Maschinenbau GmbH') // e.g. 'KRÜGER MASCHINENBAU GMBH'
 * ```
 */
export function varyCase(rng: Rng, s: string): string {
  const r = rng.int(3);
  if (r === 0) return s.toUpperCase();
  if (r === 1) return s.toLowerCase();
  return s.replace(/\p{L}+/gu, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase());
}

/**
 * An e-mail address as typed elsewhere: capitalized local part, all upper case, or with spaces.
 *
 * @example
 * ```ts
 * varyEmail(rng, 'anna.schmidt@mail.example') // e.g. 'Anna.Schmidt@mail.example'
 * ```
 */
export function varyEmail(rng: Rng, email: string): string {
  const r = rng.int(4);
  if (r === 0) return email.toUpperCase();
  if (r === 1) return email.replace(/(^|[._-])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
  if (r === 2) return ` ${email}`;
  return email[0].toUpperCase() + email.slice(1);
}

/**
 * A website as typed elsewhere: with scheme, without `www.`, with trailing slash, upper case.
 *
 * @example
 * ```ts
 * varyWebsite(rng, 'www.krueger-maschinenbau.de') // e.g. 'https://www.krueger-maschinenbau.de/'
 * ```
 */
export function varyWebsite(rng: Rng, site: string): string {
  switch (rng.int(4)) {
    case 0:
      return `https://${site}/`;
    case 1:
      return site.replace(/^www\./, '');
    case 2:
      return `http://${site}`;
    default:
      return site.toUpperCase();
  }
}

/**
 * A part number with other separators or case: `PMP-200-X` → `PMP200X`, `PMP 200 X`, `pmp-200-x`,
 * `PMP_200-X`, `PMP.200.X`. Never adds or removes alphanumeric characters, so a variant never
 * turns into another product's number.
 *
 * @example
 * ```ts
 * varyPartNumber(rng, 'PMP-200-X') // e.g. 'PMP200X'
 * ```
 */
export function varyPartNumber(rng: Rng, pn: string): string {
  switch (rng.int(6)) {
    case 0:
      return pn.replace(/[-\s]/g, '');
    case 1:
      return pn.replace(/-/g, ' ');
    case 2:
      return pn.toLowerCase();
    case 3:
      return pn.replace('-', '_');
    case 4:
      return pn.replace(/-/g, '.');
    default:
      return pn.replace('-', '');
  }
}

/**
 * A date off by one day, or with day and month swapped (only when that is still a valid and
 * different date). The result stays `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * jitterDate(rng, '2024-05-07') // '2024-05-06', '2024-05-08' or '2024-07-05'
 * ```
 */
export function jitterDate(rng: Rng, iso: string): string {
  const days = daysOfIso(iso);
  if (rng.chance(0.5)) {
    const [y, m, d] = civilFromDays(days);
    if (d <= 12 && d !== m) return formatIsoDate(y, d, m);
  }
  return isoDate(days + (rng.chance(0.5) ? 1 : -1));
}

/**
 * Inserts spaces between groups (`DE136695976` → `DE 136 695 976`).
 *
 * @example
 * ```ts
 * groupDigits('136695976', 3) // '136 695 976'
 * ```
 */
export function groupDigits(s: string, size: number, sep = ' '): string {
  let out = '';
  for (let i = 0; i < s.length; i += size) out += (i ? sep : '') + s.slice(i, i + size);
  return out;
}
