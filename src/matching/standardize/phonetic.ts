/**
 * Phonetic codes for name tokens, using the Double Metaphone algorithm of the
 * `double-metaphone` package. Tokens are folded with the canonical
 * {@link fold} first, so "Müller", "Mueller" and "Muller" all code as `MLR`.
 *
 * @module
 */
import { doubleMetaphone } from 'double-metaphone';
import { fold } from './text';

/** The two Double Metaphone codes of a token. */
export interface PhoneticCodes {
  /** Primary code, e.g. `'XMT'` for "Schmidt". */
  primary: string;
  /** Alternate code (equal to `primary` when the token has one reading), e.g. `'SMT'`. */
  alternate: string;
}

const LATIN_LETTER_RE = /[a-z]/;
const NON_LATIN_LETTER_RE = /[^\x00-\x7f]/;
const DIGITS_ONLY_RE = /^\d+$/;
const NON_ALNUM_RE = /[^a-z0-9]+/g;

/**
 * Double Metaphone codes of one token. Returns `null` when the token has no
 * Latin letter after folding (digits, other scripts, empty).
 *
 * @example
 * ```ts
 * phoneticCodes('Schmidt')  // { primary: 'XMT', alternate: 'SMT' }
 * phoneticCodes('Müller')   // { primary: 'MLR', alternate: 'MLR' }
 * phoneticCodes('Muller')   // { primary: 'MLR', alternate: 'MLR' }
 * phoneticCodes('4711')     // null
 * ```
 */
export function phoneticCodes(token: string): PhoneticCodes | null {
  const f = fold(token).replace(NON_ALNUM_RE, '');
  if (!LATIN_LETTER_RE.test(f)) return null;
  const [primary, alternate] = doubleMetaphone(f);
  if (primary === '' && alternate === '') return null;
  return { primary, alternate: alternate === '' ? primary : alternate };
}

/**
 * Distinct phonetic codes of a list of name tokens, for blocking: the
 * primary and (if different) alternate code of each token, in token order.
 * Tokens without a phonetic code are kept verbatim when they carry identity
 * (all digits, e.g. "3" in "Werk 3", or another script, e.g. "日立") and
 * skipped otherwise.
 *
 * @example
 * ```ts
 * nameTokensPhonetic(['mueller', 'maschinenbau'])  // ['MLR', 'MXNNP']
 * nameTokensPhonetic(['schmitt', 'werk', '3'])     // ['XMT', 'SMT', 'ARK', 'FRK', '3']
 * ```
 */
export function nameTokensPhonetic(tokens: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const push = (code: string): void => {
    if (code !== '' && !seen.has(code)) {
      seen.add(code);
      out.push(code);
    }
  };
  for (const token of tokens) {
    const codes = phoneticCodes(token);
    if (codes !== null) {
      push(codes.primary);
      push(codes.alternate);
    } else {
      const t = token.trim();
      if (DIGITS_ONLY_RE.test(t) || NON_LATIN_LETTER_RE.test(t)) push(t);
    }
  }
  return out;
}
