/**
 * An *appearance* is one source record of a true entity. This module holds what all entity
 * renderers share: the appearance context (its random stream, effective noise level, source),
 * the record envelope (`sourceId`, `updatedAt`, `deleted`), references to other records of the
 * same source, and the source conventions for addresses and countries:
 * - ERP (SAP): street and house number in separate fields, country as ISO alpha-2, region code.
 * - CRM (Salesforce) and FSM (ServiceNow): street and house number in one field
 *   (`BillingStreet`, `street`), country as free text (English name; FSM writes the US as `USA`).
 */
import type { EntityType } from '../../core/entities';
import { cityVariant, combinedStreet, streetVariant, type Address } from './addresses';
import type { CountryProfile } from './countries';
import { isoTimestamp } from './dates';
import { sourceIdFor } from './ids';
import { foldDiacritics, hasDiacritics, typo } from './noise';
import type { WorldPlan } from './plan';
import type { Rng } from './random';
import type { SourceName } from './types';

/** The context of one record being rendered: its stream, source, duplicate flag and noise level. */
export interface Appearance {
  rng: Rng;
  plan: WorldPlan;
  source: SourceName;
  /** 0 erp, 1 crm, 2 fsm. */
  sourceIndex: number;
  /** True for the second record of the entity in the same source (an in-source duplicate). */
  dup: boolean;
  /** Effective noise level of this record (world noise × source factor × duplicate factor). */
  level: number;
}

/** Mutable record under construction. */
export type Draft = Record<string, string | number | boolean | readonly string[] | undefined> & {
  entity: EntityType;
  source: SourceName;
  sourceId: string;
  updatedAt: string;
};

/** How much noisier each source's data entry is than the world's level. */
export const SOURCE_NOISE_FACTOR: Readonly<Record<SourceName, number>> = { erp: 0.8, crm: 1, fsm: 1.25 };
/** Duplicates are entered later, by other people, with more errors. */
export const DUPLICATE_NOISE_FACTOR = 1.5;

const PERSON_FLAG = 1;

/**
 * True with probability `base × level` (capped at 0.95): the noise dial of one perturbation.
 *
 * @example
 * ```ts
 * if (appearanceChance(app, 0.2)) name = typo(app.rng, name);
 * ```
 */
export function appearanceChance(app: Appearance, base: number): boolean {
  return app.rng.chance(Math.min(0.95, base * app.level));
}

/**
 * The sequence number of `entity` #`index` in the appearance's source (primary or duplicate record), or -1.
 *
 * @example
 * ```ts
 * seqOf(app.plan, 'customer', 12, 0, false) // 7: the 8th ERP customer record
 * ```
 */
export function seqOf(plan: WorldPlan, entity: EntityType, index: number, sourceIndex: number, dup: boolean): number {
  const table = plan.presence[entity];
  const arr = dup ? table.dupSeq[sourceIndex] : table.seq[sourceIndex];
  return arr ? arr[index] : -1;
}

/**
 * The record envelope: entity, source, sourceId, updatedAt (older when `stale`), and `deleted` for a small fraction.
 *
 * @example
 * ```ts
 * const rec = envelope(app, 'customer', 12); // { entity: 'customer', source: 'erp', sourceId: '1000007', updatedAt: '2025-…Z' }
 * ```
 */
export function envelope(app: Appearance, entity: EntityType, index: number, opts: { stale?: boolean; deleteRate?: number } = {}): Draft {
  const { plan, rng, source } = app;
  const seq = seqOf(plan, entity, index, app.sourceIndex, app.dup);
  const person = entity === 'customer' && (plan.custFlags[index] & PERSON_FLAG) !== 0;
  const now = plan.refDay * 86400;
  const age = opts.stale ? 3 * 365 * 86400 + rng.int(2 * 365 * 86400) : rng.int(3 * 365 * 86400);
  const rec: Draft = {
    entity,
    source,
    sourceId: sourceIdFor(plan.seed, source, entity, seq, person),
    updatedAt: isoTimestamp(now - age),
  };
  if (rng.chance(opts.deleteRate ?? 0.015)) rec.deleted = true;
  return rec;
}

/**
 * The sourceId, in the appearance's source, of a record of entity #`index`; undefined when the
 * source does not hold that entity. When the source holds a duplicate of it, the reference
 * points at the duplicate 30 % of the time (as real child records do).
 *
 * @example
 * ```ts
 * rec.customerRef = refTo(app, 'customer', owner);
 * ```
 */
export function refTo(app: Appearance, entity: EntityType, index: number): string | undefined {
  if (index < 0) return undefined;
  const { plan } = app;
  let seq = seqOf(plan, entity, index, app.sourceIndex, false);
  if (seq < 0) return undefined;
  const dupSeq = seqOf(plan, entity, index, app.sourceIndex, true);
  if (dupSeq >= 0 && app.rng.chance(0.3)) seq = dupSeq;
  const person = entity === 'customer' && (plan.custFlags[index] & PERSON_FLAG) !== 0;
  return sourceIdFor(plan.seed, app.source, entity, seq, person);
}

/**
 * The country as the source writes it: ERP alpha-2, CRM English name, FSM English name (`USA`);
 * with noise an alpha-3 code, the local name, or a name in another language.
 *
 * @example
 * ```ts
 * countryText(app, countryByCode('DE')) // 'DE' (erp), 'Germany' (crm), or 'Deutschland' with noise
 * ```
 */
export function countryText(app: Appearance, country: CountryProfile): string {
  const { rng, source } = app;
  if (appearanceChance(app, source === 'erp' ? 0.1 : 0.35)) {
    const r = rng.int(4);
    if (r === 0) return country.local;
    if (r === 1) return rng.pick(country.others);
    if (r === 2) return source === 'erp' ? country.alpha3 : country.code;
    return country.en.toUpperCase();
  }
  if (source === 'erp') return country.code;
  if (source === 'fsm' && country.code === 'US') return 'USA';
  return country.en;
}

function postalVariant(app: Appearance, postal: string, country: CountryProfile): string {
  const { rng } = app;
  switch (country.code) {
    case 'NL':
    case 'SE':
      return postal.replace(' ', '');
    case 'GB':
      return rng.chance(0.5) ? postal.replace(' ', '') : postal.toLowerCase();
    case 'PL':
    case 'JP':
      return postal.replace('-', '');
    case 'US':
      return `${postal}-${rng.digits(4)}`;
    default:
      return rng.chance(0.5) ? `${country.code}-${postal}` : typo(rng, postal);
  }
}

/**
 * Writes an address into the record in the source's conventions, with noise: street-word
 * variants, diacritics folded, typos, house number inside the street field (ERP), city exonyms,
 * postal-code formats, missing parts.
 *
 * @example
 * ```ts
 * writeAddress(rec, app, hq); // rec.street = 'Industriestr.', rec.houseNumber = '12', rec.city = 'Stuttgart', ...
 * ```
 */
export function writeAddress(rec: Draft, app: Appearance, addr: Address): void {
  const { rng, source } = app;
  const lang = addr.country.language;
  let street = addr.street;
  if (appearanceChance(app, 0.4)) street = streetVariant(rng, street, lang);
  if (hasDiacritics(street) && appearanceChance(app, 0.25)) street = foldDiacritics(street, lang === 'de' && rng.chance(0.7) ? 'expand' : 'strip');
  if (appearanceChance(app, 0.08)) street = typo(rng, street);
  const split = source === 'erp' && !appearanceChance(app, 0.15);
  if (!appearanceChance(app, 0.03)) {
    if (split) {
      rec.street = street;
      rec.houseNumber = addr.houseNumber;
    } else rec.street = combinedStreet(addr.country, street, addr.houseNumber);
  }
  if (!appearanceChance(app, 0.05)) rec.postalCode = appearanceChance(app, 0.1) ? postalVariant(app, addr.postalCode, addr.country) : addr.postalCode;
  let city = addr.city.name;
  if (appearanceChance(app, 0.2)) city = cityVariant(rng, addr.city);
  if (hasDiacritics(city) && appearanceChance(app, 0.2)) city = foldDiacritics(city, lang === 'de' && rng.chance(0.7) ? 'expand' : 'strip');
  if (appearanceChance(app, 0.05)) city = typo(rng, city);
  if (appearanceChance(app, 0.03)) city = city.toUpperCase();
  if (!appearanceChance(app, 0.03)) rec.city = city;
  if (!appearanceChance(app, 0.2)) rec.region = addr.city.region;
  if (!appearanceChance(app, 0.04)) rec.country = countryText(app, addr.country);
}
