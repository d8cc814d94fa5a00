/**
 * Locations: sites of organization customers (headquarters, plants, depots, warehouses, service
 * sites) with a GLN-13 (valid GS1 check digit), address and coordinates; and how a location
 * appears in CRM (Location) and FSM (cmn_location).
 */
import { makeAddress, sameStreet, type Address } from './addresses';
import { appearanceChance, envelope, refTo, writeAddress, type Appearance } from './appearance';
import { withGs1Check } from './checkdigits';
import type { CountryProfile, Language } from './countries';
import type { CustomerTruth } from './customers';
import { trueIdFor } from './ids';
import { foldDiacritics, hasDiacritics, typo } from './noise';
import type { WorldPlan } from './plan';
import { affinePermutation, type Rng } from './random';
import { STREAM } from './streams';
import type { WorldRecord } from './types';

/** What a location is for its owner. */
export type SiteKind = 'headquarters' | 'plant' | 'depot' | 'warehouse' | 'service';

/** True values of a location. */
export interface LocationTruth {
  index: number;
  trueId: string;
  /** Owning customer index. */
  customer: number;
  kind: SiteKind;
  name: string;
  gln?: string;
  address: Address;
}

const SITE_WORDS: Record<Language, Record<SiteKind, string>> = {
  de: { headquarters: 'Zentrale', plant: 'Werk', depot: 'Auslieferungslager', warehouse: 'Lager', service: 'Servicestützpunkt' },
  en: { headquarters: 'Head Office', plant: 'Plant', depot: 'Depot', warehouse: 'Warehouse', service: 'Service Center' },
  fr: { headquarters: 'Siège', plant: 'Usine', depot: 'Dépôt', warehouse: 'Entrepôt', service: 'Centre de service' },
  it: { headquarters: 'Sede', plant: 'Stabilimento', depot: 'Deposito', warehouse: 'Magazzino', service: 'Centro Assistenza' },
  nl: { headquarters: 'Hoofdkantoor', plant: 'Fabriek', depot: 'Depot', warehouse: 'Magazijn', service: 'Servicepunt' },
  pl: { headquarters: 'Siedziba', plant: 'Zakład', depot: 'Skład', warehouse: 'Magazyn', service: 'Punkt Serwisowy' },
  ja: { headquarters: 'Head Office', plant: 'Kojo', depot: 'Depot', warehouse: 'Soko', service: 'Service Center' },
  es: { headquarters: 'Sede', plant: 'Planta', depot: 'Depósito', warehouse: 'Almacén', service: 'Centro de Servicio' },
  sv: { headquarters: 'Huvudkontor', plant: 'Fabrik', depot: 'Depå', warehouse: 'Lager', service: 'Servicecenter' },
};

const OTHER_KINDS: readonly SiteKind[] = ['plant', 'plant', 'depot', 'warehouse', 'service'];
const perm6 = affinePermutation(1e6, 13);

/**
 * The GLN-13 of site `ordinal` of customer `customer`: GS1 country prefix + 6-digit company
 * number + 3-digit location reference + GS1 check digit.
 *
 * @example
 * ```ts
 * glnFor(countryByCode('DE'), 17, 0, worldSeed) // e.g. '4009807850005' (13 digits, valid check digit)
 * ```
 */
export function glnFor(country: CountryProfile, customer: number, ordinal: number, salt = 0): string {
  const prefix = country.gs1[Math.floor(customer / 1e6) % country.gs1.length];
  const company = String(perm6(customer + salt)).padStart(6, '0');
  return withGs1Check(prefix + company + String(ordinal % 1000).padStart(3, '0'));
}

/**
 * The true values of location #`index`, site number `ordinal` of `owner`.
 *
 * @example
 * ```ts
 * buildLocation(plan, 3, owner, 0, rng).name // e.g. 'Krüger Werk Esslingen am Neckar'
 * ```
 */
export function buildLocation(plan: WorldPlan, index: number, owner: CustomerTruth, ordinal: number, rng: Rng): LocationTruth {
  const r = rng.reseed(plan.seed, STREAM.location, index);
  const kind: SiteKind = ordinal === 0 && r.chance(0.5) ? 'headquarters' : r.pick(OTHER_KINDS);
  const country = owner.country;
  let address: Address;
  if (kind === 'headquarters') address = owner.address;
  else if (r.chance(0.15)) address = sameStreet(r, owner.address);
  else if (r.chance(0.3)) address = makeAddress(r, country, owner.address.city);
  else address = makeAddress(r, country);
  const word = SITE_WORDS[country.language][kind];
  const stem = owner.org ? owner.org.stem : owner.name;
  const name = kind === 'headquarters' ? `${owner.org ? owner.org.base : owner.name} ${word}` : `${stem} ${word} ${address.city.name}`;
  return {
    index,
    trueId: trueIdFor('location', index),
    customer: owner.index,
    kind,
    name: ordinal > 1 && r.chance(0.3) ? `${name} ${ordinal}` : name,
    gln: r.chance(0.65) ? glnFor(country, owner.index, ordinal, plan.seed) : undefined,
    address,
  };
}

/**
 * Location #`t.index` as one source record (Salesforce Location or ServiceNow cmn_location), with noise.
 *
 * @example
 * ```ts
 * renderLocation(loc, app).gln // '4005108430001' or missing
 * ```
 */
export function renderLocation(t: LocationTruth, app: Appearance): WorldRecord {
  const { rng, source } = app;
  const rec = envelope(app, 'location', t.index);
  let name = t.name;
  if (hasDiacritics(name) && appearanceChance(app, 0.25)) name = foldDiacritics(name, 'strip');
  if (appearanceChance(app, 0.1)) name = typo(rng, name);
  if (appearanceChance(app, 0.05)) name = name.toUpperCase();
  rec.name = name;
  if (t.gln && !appearanceChance(app, source === 'crm' ? 0.4 : 0.5)) {
    rec.gln = appearanceChance(app, 0.02) ? t.gln.slice(0, 12) + String((Number(t.gln[12]) + 1) % 10) : t.gln;
  }
  writeAddress(rec, app, t.address);
  if (!appearanceChance(app, 0.2)) {
    const digits = appearanceChance(app, 0.3) ? 3 : 6;
    const f = 10 ** digits;
    const lat = Math.round(t.address.latitude * f) / f;
    const lon = Math.round(t.address.longitude * f) / f;
    const swap = appearanceChance(app, 0.02);
    rec.latitude = swap ? lon : lat;
    rec.longitude = swap ? lat : lon;
  }
  const owner = refTo(app, 'customer', t.customer);
  if (owner) rec.customerRef = owner;
  return rec as WorldRecord;
}
