import type { PreparedValue } from '../model/prepared-record';
import {
  canonicalGivenName,
  duns,
  fold,
  isoDate,
  nameTokensPhonetic,
  orgName,
  personName,
  phoneticCodes,
  tokenize,
  vat,
} from '../standardize';
import { addressFields } from './address';
import { attributeText } from './attributes';
import { contactFields } from './contact';
import { customerKind } from './customer-kind';
import type { PrepareContext, PrepareInput, PreparedRecord } from './types';

function personParts(attributes: Readonly<Record<string, unknown>>): {
  given: string | null;
  family: string | null;
  initials: string | null;
} {
  const givenText = attributeText(attributes, 'givenName');
  const familyText = attributeText(attributes, 'familyName');
  if (givenText || familyText) {
    const given = givenText ? tokenize(givenText).join('-') || null : null;
    const family = familyText ? tokenize(familyText).join(' ') || null : null;
    return { given, family, initials: given ? given[0] : null };
  }
  const parsed = personName(attributeText(attributes, 'name'));
  return { given: parsed?.given ?? null, family: parsed?.family ?? null, initials: parsed?.initials || null };
}

function primaryCode(text: string | null): string | null {
  if (!text) return null;
  return phoneticCodes(text.replace(/[\s-]+/g, ''))?.primary ?? null;
}

function normalizedId(value: string | null): string | null {
  const id = value ? value.toUpperCase().replace(/[^A-Z0-9]/g, '') : '';
  return id.length >= 3 ? id : null;
}

/**
 * Prepare a customer record (organization or person) for matching.
 *
 * Fields: `customerKind`; names `nameNorm`, `nameTokens`, `namePhonetic` (codes of the tokens),
 * `legalForm`; persons also `givenName`, `givenCanonical` (nicknames resolved), `givenPhonetic`,
 * `familyName`, `familyPhonetic`, `initials`, `dob`, `nationalId`; identifiers `taxId` (only a
 * VAT number whose format and check digits hold, so a typo is not a conflict), `taxIdAny` (any
 * normalized tax number), `duns`; address fields (see `addressFields`); contact fields (see
 * `contactFields`); and `ownedUnits`, the keys of installed units attributed to the record by
 * assets (from `context.ownedUnits`).
 *
 * @example
 * ```ts
 * const r = prepareCustomer({ id: 0, source: 'crm', sourceId: 'A1', attributes: { name: 'Krüger Maschinenbau GmbH', taxId: 'DE811234567', city: 'Stuttgart', country: 'DE' } }, NO_REFERENCES);
 * r.fields.nameNorm  // 'krueger maschinenbau'
 * r.fields.legalForm // 'gmbh'
 * ```
 */
export function prepareCustomer(input: PrepareInput, context: PrepareContext): PreparedRecord {
  const a = input.attributes;
  const kind = customerKind(a);
  const address = addressFields(a);
  const country = address.country as string | null;
  const fields: Record<string, PreparedValue> = { customerKind: kind };

  const nameText = attributeText(a, 'name');
  if (kind === 'organization') {
    const org = orgName(nameText);
    fields.nameNorm = org && org.name !== '' ? org.name : null;
    fields.nameTokens = org && org.tokens.length > 0 ? org.tokens : null;
    fields.namePhonetic = org ? nameTokensPhonetic(org.tokens) : null;
    fields.legalForm = org?.legalForm ?? null;
  } else {
    const { given, family, initials } = personParts(a);
    const givenCanonical = given ? canonicalGivenName(given) : null;
    fields.givenName = given;
    fields.givenCanonical = givenCanonical;
    fields.givenPhonetic = primaryCode(givenCanonical ?? given);
    fields.familyName = family;
    fields.familyPhonetic = primaryCode(family);
    fields.initials = initials;
    const tokens = [...(given ? tokenize(given) : []), ...(family ? tokenize(family) : [])];
    fields.nameNorm = tokens.length > 0 ? tokens.join(' ') : null;
    fields.nameTokens = tokens.length > 0 ? tokens : null;
    fields.namePhonetic = tokens.length > 0 ? nameTokensPhonetic(tokens) : null;
    fields.legalForm = null;
    fields.dob = isoDate(attributeText(a, 'dateOfBirth'));
    fields.nationalId = normalizedId(attributeText(a, 'nationalId'));
  }

  const taxText = attributeText(a, 'taxId');
  const tax = taxText ? vat(taxText, country ?? undefined) : null;
  fields.taxId = tax && tax.valid ? tax.value : null;
  fields.taxIdAny = tax?.value ?? normalizedId(taxText);
  fields.duns = duns(attributeText(a, 'duns'));
  Object.assign(fields, address, contactFields(a, country));
  const units = context.ownedUnits?.(input.source, input.sourceId) ?? [];
  fields.ownedUnits = units.length > 0 ? [...units].sort() : null;
  if (fields.nameNorm === null && nameText) fields.nameNorm = fold(nameText);
  return { id: input.id, source: input.source, fields };
}
