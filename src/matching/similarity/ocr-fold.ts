const FOLD: Record<string, string> = {
  O: '0', Q: '0', D: '0',
  I: '1', L: '1', '|': '1',
  Z: '2',
  S: '5',
  G: '6',
  B: '8',
};

/**
 * Fold characters that OCR and hand-keying confuse (O/Q/D→0, I/L→1, Z→2, S→5, G→6, B→8), after
 * upper-casing and dropping spaces, dashes, dots and slashes, so serial numbers read from plates
 * compare equal.
 *
 * @example
 * ```ts
 * ocrFold('sn-8O1l') === ocrFold('5N 8011') // true
 * ```
 */
export function ocrFold(value: string): string {
  let out = '';
  const upper = value.toUpperCase();
  for (let i = 0; i < upper.length; i++) {
    const ch = upper[i];
    if (ch === ' ' || ch === '-' || ch === '.' || ch === '/' || ch === '_') continue;
    out += FOLD[ch] ?? ch;
  }
  return out;
}
