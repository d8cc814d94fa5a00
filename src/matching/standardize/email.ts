/**
 * E-mail address standardization for matching.
 *
 * The address is trimmed and lowercased, a "mailto:" prefix or a display
 * name ("Jane Doe <jane@example.com>") is removed, and the shape is checked
 * (one "@", a dot-atom local part of at most 64 characters, a domain of
 * letter/digit/hyphen labels with a top-level domain of at least two letters
 * or a punycode label).
 *
 * Aliases that deliver to the same mailbox are collapsed: a "+tag" in the
 * local part is dropped for every domain; for Gmail (gmail.com and
 * googlemail.com, which is canonicalized to gmail.com) the dots in the
 * local part are dropped as well, since Gmail ignores them.
 *
 * @module
 */
import { toText, type Raw } from './text';

/** A standardized e-mail address. */
export interface Email {
  /** `local@domain` after normalization. */
  email: string;
  /** Normalized local part. */
  local: string;
  /** Normalized domain. */
  domain: string;
}

const MAILTO_RE = /^mailto:/i;
const ANGLE_RE = /<([^<>]+)>/;
const LOCAL_RE = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL_RE = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const TLD_RE = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/u;
const GMAIL_DOMAINS: ReadonlySet<string> = new Set(['gmail.com', 'googlemail.com']);

/**
 * Standardizes an e-mail address, or returns `null` when the value is
 * missing or not shaped like an address.
 *
 * @example
 * ```ts
 * email('  John.Doe+newsletter@GoogleMail.com ')
 * // { email: 'johndoe@gmail.com', local: 'johndoe', domain: 'gmail.com' }
 * email('Jane Doe <Jane.Doe+crm@Example.COM>')
 * // { email: 'jane.doe@example.com', local: 'jane.doe', domain: 'example.com' }
 * email('not an email')   // null
 * ```
 */
export function email(value: Raw): Email | null {
  const text = toText(value);
  if (text === null) return null;
  let s = text;
  const angle = ANGLE_RE.exec(s);
  if (angle) s = angle[1];
  s = s.trim().replace(MAILTO_RE, '').toLowerCase();
  if (s.length > 254) return null;

  const at = s.lastIndexOf('@');
  if (at <= 0 || at !== s.indexOf('@')) return null;
  let local = s.slice(0, at);
  let domain = s.slice(at + 1);
  if (domain.endsWith('.')) domain = domain.slice(0, -1);

  if (local.length > 64 || !LOCAL_RE.test(local)) return null;
  const labels = domain.split('.');
  if (labels.length < 2) return null;
  for (const label of labels) if (!LABEL_RE.test(label)) return null;
  if (!TLD_RE.test(labels[labels.length - 1])) return null;

  const plus = local.indexOf('+');
  if (plus === 0) return null;
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    domain = 'gmail.com';
    local = local.replaceAll('.', '');
    if (local === '') return null;
  }
  return { email: `${local}@${domain}`, local, domain };
}
