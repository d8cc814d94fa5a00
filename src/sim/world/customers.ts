/**
 * Customers: organizations (B2B accounts, dealers) in corporate groups, and persons (consumers who
 * register products). Builds a customer's true values from the plan and renders its appearance in
 * a source with noise.
 *
 * Corporate groups share a name stem; members at the group's *campus* are sister companies on the
 * same street with different industry words and tax ids ("Krüger Maschinenbau GmbH" vs
 * "Krüger Antriebstechnik GmbH"): hard negatives. Namesake persons share given name, family name
 * and town with another person but have another date of birth, address, phone and e-mail.
 */
import { makeAddress, sameStreet, type Address } from './addresses';
import { appearanceChance, envelope, refTo, writeAddress, type Appearance } from './appearance';
import { companyStem, domainFor, holdingWordAt, industryAt, legalFormVariant, orgName, type OrgName } from './companies';
import { COUNTRIES, pickCountry, type CountryProfile } from './countries';
import { isoDate } from './dates';
import { trueIdFor } from './ids';
import { pickPersonName, type GivenName } from './names';
import { foldDiacritics, hasDiacritics, jitterDate, typo, varyEmail, varyWebsite } from './noise';
import { dateOfBirthDay, nickname, personEmail } from './persons';
import { formatPhone, landline, mobile, phoneVariant, type Phone, type PhoneStyle } from './phones';
import type { WorldPlan } from './plan';
import type { Rng } from './random';
import { STREAM } from './streams';
import { dunsFor, dunsVariant, taxIdFor, taxIdVariant } from './taxids';
import type { SourceName, WorldRecord } from './types';

/** Bits of `WorldPlan.custFlags`. */
export const CUSTOMER_FLAG = {
  person: 1,
  /** Organization located at its group's campus (same street as its sister companies). */
  campus: 2,
  /** Person sharing name and town with `custLookalike`. */
  namesake: 4,
  /** Subsidiary in another country than its group. */
  foreign: 8,
} as const;

/** True values of a customer (organization or person). */
export interface CustomerTruth {
  index: number;
  trueId: string;
  kind: 'organization' | 'person';
  country: CountryProfile;
  name: string;
  org?: OrgName;
  given?: GivenName;
  familyName?: string;
  dateOfBirth?: string;
  taxId?: string;
  duns?: string;
  address: Address;
  /** An older address, shown by stale appearances. */
  previousAddress: Address;
  phone: Phone;
  email?: string;
  website?: string;
  /** Index of the corporate parent, or -1. */
  parent: number;
}

const MAILBOXES = ['info', 'sales', 'service', 'office', 'contact', 'order'];

function buildOrganization(plan: WorldPlan, index: number, rng: Rng): CustomerTruth {
  const root = plan.custGroupRoot[index];
  const flags = plan.custFlags[index];
  const m = index - root;
  const g = rng.reseed(plan.seed, STREAM.group, root);
  const groupCountry = pickCountry(g);
  const stem = companyStem(g, groupCountry);
  const campus = makeAddress(g, groupCountry);
  const industryOffset = g.int(1000);
  const holding = g.chance(0.4);
  const holdingPick = g.uint32();
  const isGroup = root + 1 < plan.nOrg && plan.custGroupRoot[root + 1] === root;

  const r = rng.reseed(plan.seed, STREAM.customer, index);
  let country = groupCountry;
  if (flags & CUSTOMER_FLAG.foreign) {
    country = pickCountry(r);
    if (country === groupCountry) country = COUNTRIES[(COUNTRIES.indexOf(groupCountry) + 1 + r.int(COUNTRIES.length - 1)) % COUNTRIES.length];
  }
  const industry =
    m === 0 && isGroup && holding
      ? holdingWordAt(country.language, holdingPick)
      : industryAt(country.language, industryOffset + m);
  const org = orgName(r, country, stem, industry);
  const address = flags & CUSTOMER_FLAG.campus ? sameStreet(r, campus) : makeAddress(r, country);
  const previousAddress = r.chance(0.6) ? makeAddress(r, country, address.city) : makeAddress(r, country);
  const domain = domainFor(org, country);
  return {
    index,
    trueId: trueIdFor('customer', index),
    kind: 'organization',
    country,
    name: org.name,
    org,
    taxId: taxIdFor(country, index, plan.seed),
    duns: dunsFor(index, plan.seed),
    address,
    previousAddress,
    phone: landline(r, country, address.city),
    email: `${r.pick(MAILBOXES)}@${domain}`,
    website: `www.${domain}`,
    parent: m > 0 ? root : -1,
  };
}

function buildPerson(plan: WorldPlan, index: number, rng: Rng): CustomerTruth {
  const flags = plan.custFlags[index];
  const nameIndex = flags & CUSTOMER_FLAG.namesake ? plan.custLookalike[index] : index;
  const n = rng.reseed(plan.seed, STREAM.personName, nameIndex);
  const country = pickCountry(n);
  const { given, familyName } = pickPersonName(n, country.language);
  const city = n.pick(country.cities);

  const r = rng.reseed(plan.seed, STREAM.customer, index);
  const dob = dateOfBirthDay(r, plan.refDay);
  const address = makeAddress(r, country, city);
  return {
    index,
    trueId: trueIdFor('customer', index),
    kind: 'person',
    country,
    name: `${given.name} ${familyName}`,
    given,
    familyName,
    dateOfBirth: isoDate(dob),
    address,
    previousAddress: makeAddress(r, country),
    phone: mobile(r, country, city),
    email: personEmail(r, given.name, familyName, Number(isoDate(dob).slice(0, 4))),
    parent: -1,
  };
}

/**
 * The true values of customer #`index` (re-derivable at any time from the plan and seed).
 *
 * @example
 * ```ts
 * buildCustomer(plan, 0, new Rng()).name // e.g. 'Krüger Holding GmbH'
 * ```
 */
export function buildCustomer(plan: WorldPlan, index: number, rng: Rng): CustomerTruth {
  return plan.custFlags[index] & CUSTOMER_FLAG.person ? buildPerson(plan, index, rng) : buildOrganization(plan, index, rng);
}

const PHONE_STYLE: Record<SourceName, PhoneStyle> = { erp: 'international', crm: 'national', fsm: 'e164' };

function phoneText(app: Appearance, phone: Phone): string {
  return appearanceChance(app, 0.5) ? phoneVariant(app.rng, phone) : formatPhone(phone, PHONE_STYLE[app.source]);
}

function foldStyle(app: Appearance, t: CustomerTruth): 'expand' | 'strip' {
  return t.country.language === 'de' && app.rng.chance(0.7) ? 'expand' : 'strip';
}

function renderOrganization(t: CustomerTruth, app: Appearance, rec: Record<string, unknown>): void {
  const { rng, source } = app;
  const org = t.org as OrgName;
  let name = t.name;
  if (appearanceChance(app, 0.35)) name = legalFormVariant(rng, org);
  if (hasDiacritics(name) && appearanceChance(app, 0.3)) name = foldDiacritics(name, foldStyle(app, t));
  if (appearanceChance(app, 0.15)) name = typo(rng, name);
  if (appearanceChance(app, 0.06)) name = name.toUpperCase();
  // SAP OrganizationBPName1 holds 40 characters.
  rec.name = source === 'erp' ? name.slice(0, 40).trimEnd() : name;
  const taxMissing = source === 'erp' ? 0.1 : source === 'crm' ? 0.3 : 0.4;
  if (t.taxId && !appearanceChance(app, taxMissing)) rec.taxId = appearanceChance(app, 0.25) ? taxIdVariant(rng, t.taxId) : t.taxId;
  if (t.duns && source !== 'fsm' && !appearanceChance(app, source === 'erp' ? 0.2 : 0.35)) {
    rec.duns = appearanceChance(app, 0.2) ? dunsVariant(t.duns) : t.duns;
  }
}

function renderPerson(t: CustomerTruth, app: Appearance, rec: Record<string, unknown>): void {
  const { rng, source } = app;
  let given = t.given ? (appearanceChance(app, 0.25) ? nickname(rng, t.given) : t.given.name) : '';
  let family = t.familyName ?? '';
  if (appearanceChance(app, 0.1)) [given, family] = [family, given];
  if (appearanceChance(app, 0.3)) {
    given = foldDiacritics(given, foldStyle(app, t));
    family = foldDiacritics(family, foldStyle(app, t));
  }
  if (appearanceChance(app, 0.12)) {
    if (rng.chance(0.5)) family = typo(rng, family);
    else given = typo(rng, given);
  }
  if (source !== 'fsm') {
    rec.givenName = given;
    rec.familyName = family;
  }
  rec.name = t.country.code === 'JP' && source === 'erp' ? `${family} ${given}` : `${given} ${family}`;
  if (t.dateOfBirth && source !== 'fsm' && !appearanceChance(app, 0.1)) {
    rec.dateOfBirth = appearanceChance(app, 0.08) ? jitterDate(rng, t.dateOfBirth) : t.dateOfBirth;
  }
}

/**
 * Customer #`t.index` as one source record (SAP business partner, Salesforce Account/Contact,
 * ServiceNow company), with noise.
 *
 * @example
 * ```ts
 * renderCustomer(buildCustomer(plan, 0, rng), app).name // e.g. 'Krueger Holding'
 * ```
 */
export function renderCustomer(t: CustomerTruth, app: Appearance): WorldRecord {
  const { rng, source } = app;
  const stale = appearanceChance(app, 0.15);
  const rec = envelope(app, 'customer', t.index, { stale });
  rec.kind = t.kind;
  if (t.kind === 'organization') renderOrganization(t, app, rec);
  else renderPerson(t, app, rec);
  writeAddress(rec, app, stale ? t.previousAddress : t.address);
  if (!appearanceChance(app, 0.15)) rec.phone = phoneText(app, t.phone);
  if (t.email && (t.kind === 'person' || source !== 'crm') && !appearanceChance(app, 0.2)) {
    rec.email = appearanceChance(app, 0.25) ? varyEmail(rng, t.email) : t.email;
  }
  if (t.website && !appearanceChance(app, 0.25)) rec.website = appearanceChance(app, 0.3) ? varyWebsite(rng, t.website) : t.website;
  if (t.parent >= 0) {
    const keep = source === 'erp' ? rng.chance(0.5) : !appearanceChance(app, source === 'crm' ? 0.1 : 0.2);
    const ref = keep ? refTo(app, 'customer', t.parent) : undefined;
    if (ref) rec.parentRef = ref;
  }
  return rec as WorldRecord;
}
