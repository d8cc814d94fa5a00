/**
 * Phone numbers following each country's numbering plan (calling code, trunk prefix, area codes
 * of the world's cities, mobile prefixes), and the ways sources write them:
 * `+49 711 1234567`, `+497111234567`, `0711 1234567`, `0711-1234567`, `0049 711 1234567`,
 * `+49 (0)711 1234567`, US `(312) 555-0142` / `312.555.0142` / `1-312-555-0142`.
 */
import type { City, CountryProfile } from './countries';
import type { Rng } from './random';

/** A true phone number, split so that it can be written in any style. */
export interface Phone {
  country: CountryProfile;
  /** Area code or mobile prefix (national, no trunk prefix). */
  area: string;
  subscriber: string;
}

/** The ways a number is written; `international` is the reference form. */
export type PhoneStyle = 'international' | 'e164' | 'national' | 'nationalDash' | 'idd' | 'iddCompact' | 'intlTrunk' | 'dots';

const STYLES: readonly PhoneStyle[] = ['e164', 'national', 'national', 'nationalDash', 'idd', 'iddCompact', 'intlTrunk', 'dots'];

function subscriberDigits(rng: Rng, length: number): string {
  return String(rng.range(2, 9)) + rng.digits(Math.max(0, length - 1));
}

/**
 * A landline number in the city.
 *
 * @example
 * ```ts
 * formatPhone(landline(rng, de, stuttgart), 'international') // e.g. '+49 711 2345678'
 * ```
 */
export function landline(rng: Rng, country: CountryProfile, city: City): Phone {
  const [min, max] = country.phone.nsn;
  const nsn = rng.range(min, max);
  return { country, area: city.area, subscriber: subscriberDigits(rng, Math.max(4, nsn - city.area.length)) };
}

/**
 * A mobile number of the country (US: a number in the city's area code).
 *
 * @example
 * ```ts
 * formatPhone(mobile(rng, de, berlin), 'national') // e.g. '0176 23456789'
 * ```
 */
export function mobile(rng: Rng, country: CountryProfile, city: City): Phone {
  if (country.phone.mobile.length === 0) return landline(rng, country, city);
  const prefix = rng.pick(country.phone.mobile);
  return { country, area: prefix, subscriber: subscriberDigits(rng, country.phone.mobileNsn - prefix.length) };
}

function grouped(phone: Phone, sep: string): string {
  const g = phone.country.phone.grouping;
  if (!g) return phone.subscriber;
  const parts: string[] = [];
  let i = 0;
  for (const size of g) {
    if (i >= phone.subscriber.length) break;
    parts.push(phone.subscriber.slice(i, i + size));
    i += size;
  }
  if (i < phone.subscriber.length) parts[parts.length - 1] += phone.subscriber.slice(i);
  return parts.join(sep);
}

/**
 * Writes the number in one style. `international` is the world's true (reference) form.
 *
 * @example
 * ```ts
 * formatPhone(p, 'international') // '+49 711 2345678'
 * formatPhone(p, 'nationalDash')  // '0711-2345678'
 * formatPhone(p, 'iddCompact')    // '00497112345678'
 * ```
 */
export function formatPhone(phone: Phone, style: PhoneStyle): string {
  const { cc, trunk } = phone.country.phone;
  const us = cc === '1';
  const jp = phone.country.code === 'JP';
  switch (style) {
    case 'international':
      return `+${cc} ${phone.area} ${grouped(phone, ' ')}`;
    case 'e164':
      return `+${cc}${phone.area}${phone.subscriber}`;
    case 'national':
      if (us) return `(${phone.area}) ${grouped(phone, '-')}`;
      if (jp) return `${trunk}${phone.area}-${grouped(phone, '-')}`;
      return `${trunk}${phone.area} ${grouped(phone, ' ')}`;
    case 'nationalDash':
      if (us) return `${phone.area}-${grouped(phone, '-')}`;
      return `${trunk}${phone.area}-${phone.subscriber}`;
    case 'idd':
      return `00${cc} ${phone.area} ${phone.subscriber}`;
    case 'iddCompact':
      return `00${cc}${phone.area}${phone.subscriber}`;
    case 'intlTrunk':
      if (us) return `1-${phone.area}-${grouped(phone, '-')}`;
      return trunk ? `+${cc} (${trunk})${phone.area} ${phone.subscriber}` : `+${cc} ${phone.area} ${phone.subscriber}`;
    case 'dots':
      if (us) return `${phone.area}.${grouped(phone, '.')}`;
      return `${trunk}${phone.area}/${phone.subscriber}`;
  }
}

/**
 * The number in a random non-reference style, sometimes with an extension (`-0`, ` ext. 12`).
 *
 * @example
 * ```ts
 * phoneVariant(rng, p) // e.g. '0711/2345678' or '+49 (0)711 2345678'
 * ```
 */
export function phoneVariant(rng: Rng, phone: Phone): string {
  const s = formatPhone(phone, rng.pick(STYLES));
  const r = rng.float();
  if (r < 0.06) return `${s}-0`;
  if (r < 0.09) return `${s} ext. ${rng.range(10, 99)}`;
  return s;
}
