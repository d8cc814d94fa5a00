/**
 * Person identity details of consumers: e-mail addresses, dates of birth, nicknames.
 * Person e-mail domains use the reserved `.example` top-level domain.
 */
import { foldDiacritics } from './noise';
import type { GivenName } from './names';
import type { Rng } from './random';

const MAIL_PROVIDERS = ['mail.example', 'post.example', 'inbox.example', 'webmail.example', 'net.example'];

function slug(s: string): string {
  return foldDiacritics(s, 'expand').toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/**
 * A personal e-mail address ("anna.schmidt@mail.example", "aschmidt84@post.example").
 *
 * @example
 * ```ts
 * personEmail(rng, 'Anna', 'Schmidt', 1984) // e.g. 'anna.schmidt@mail.example'
 * ```
 */
export function personEmail(rng: Rng, given: string, family: string, birthYear: number): string {
  const g = slug(given);
  const f = slug(family);
  const provider = rng.pick(MAIL_PROVIDERS);
  switch (rng.int(4)) {
    case 0:
      return `${g}.${f}@${provider}`;
    case 1:
      return `${g[0]}${f}${String(birthYear).slice(2)}@${provider}`;
    case 2:
      return `${f}.${g}${rng.range(1, 99)}@${provider}`;
    default:
      return `${g}_${f}${birthYear}@${provider}`;
  }
}

/**
 * A day number of a date of birth, for an adult between 21 and 80 years old at `refDay`.
 *
 * @example
 * ```ts
 * isoDate(dateOfBirthDay(rng, refDay)) // e.g. '1978-11-03'
 * ```
 */
export function dateOfBirthDay(rng: Rng, refDay: number): number {
  return refDay - rng.range(21 * 365, 80 * 365);
}

/**
 * A nickname of the given name (Robert → Bob), or the name itself when it has none.
 *
 * @example
 * ```ts
 * nickname(rng, { name: 'Robert', gender: 'm', nicknames: ['Bob', 'Rob'] }) // 'Bob' or 'Rob'
 * ```
 */
export function nickname(rng: Rng, given: GivenName): string {
  return given.nicknames.length ? rng.pick(given.nicknames) : given.name;
}
