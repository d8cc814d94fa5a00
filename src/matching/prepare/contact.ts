/*
 * Prepared contact fields (phone, e-mail, web domain) shared by customers and locations.
 */

import type { PreparedValue } from '../model/prepared-record';
import { email, phoneE164 } from '../standardize';
import { attributeText, distinctSorted } from './attributes';

/** Mail domains anyone can register at: sharing one says nothing about being one organization. */
const FREE_MAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.de', 'yahoo.fr', 'yahoo.it', 'yahoo.co.uk', 'yahoo.co.jp',
  'hotmail.com', 'hotmail.de', 'hotmail.fr', 'hotmail.it', 'outlook.com', 'outlook.de', 'live.com', 'msn.com',
  'icloud.com', 'me.com', 'aol.com', 'gmx.de', 'gmx.net', 'gmx.at', 'gmx.ch', 'web.de', 't-online.de', 'freenet.de',
  'orange.fr', 'free.fr', 'laposte.net', 'libero.it', 'virgilio.it', 'alice.it', 'tiscali.it', 'wp.pl', 'onet.pl',
  'o2.pl', 'interia.pl', 'ziggo.nl', 'kpnmail.nl', 'planet.nl', 'bluewin.ch', 'protonmail.com', 'proton.me',
  'mail.com', 'qq.com', '163.com', 'docomo.ne.jp', 'ezweb.ne.jp', 'example.com', 'example.org',
]);

/**
 * The host of a web address without scheme, `www.` and path, lowercase; null when there is none.
 *
 * @example
 * ```ts
 * webDomain('https://www.Acme.de/kontakt') // 'acme.de'
 * ```
 */
export function webDomain(value: string | null): string | null {
  if (!value) return null;
  const host = value
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\d?\./, '')
    .split(/[/?#:\s]/)[0];
  return host && host.includes('.') ? host : null;
}

/**
 * Whether a mail domain is a public mailbox provider (not an organization's own domain).
 *
 * @example
 * ```ts
 * isFreeMailDomain('gmail.com') // true
 * ```
 */
export function isFreeMailDomain(domain: string): boolean {
  return FREE_MAIL_DOMAINS.has(domain) || /(^|\.)example$/.test(domain);
}

/**
 * Contact fields: `phone` (E.164, using the record's country for national numbers), `phoneTail`
 * (last 8 digits, comparable when one side lacks the country), `email`, `emailLocal`,
 * `emailDomain`, `website` (host) and `domains` (website and non-free mail domain, for
 * organizations).
 *
 * @example
 * ```ts
 * contactFields({ phone: '089 1234567', email: 'Info@Acme.de', website: 'www.acme.de' }, 'DE')
 * // { phone: '+49891234567', phoneTail: '91234567', email: 'info@acme.de', domains: ['acme.de'], ... }
 * ```
 */
export function contactFields(attributes: Readonly<Record<string, unknown>>, country: string | null): Record<string, PreparedValue> {
  const phoneText = attributeText(attributes, 'phone');
  const phone = phoneText ? phoneE164(phoneText, country ?? undefined) : null;
  const digits = (phone ?? phoneText ?? '').replace(/\D/g, '');
  const mail = email(attributeText(attributes, 'email'));
  const website = webDomain(attributeText(attributes, 'website'));
  const mailDomain = mail && !isFreeMailDomain(mail.domain) ? mail.domain : null;
  return {
    phone,
    phoneTail: digits.length >= 6 ? digits.slice(-8) : null,
    email: mail?.email ?? null,
    emailLocal: mail?.local ?? null,
    emailDomain: mail?.domain ?? null,
    website,
    domains: distinctSorted([website, mailDomain]),
  };
}
