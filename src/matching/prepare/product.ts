import type { PreparedValue } from '../model/prepared-record';
import { colours, gtin, orgName, partNumber, tokenize } from '../standardize';
import { attributeNumber, attributeText, distinctSorted } from './attributes';
import { measures, measureUnits, modelNumbers, modelStems } from './model-numbers';
import type { PrepareContext, PrepareInput, PreparedRecord } from './types';

/** Words that say nothing about which product it is. */
const STOP_WORDS = new Set(['the', 'and', 'for', 'with', 'of', 'a', 'an', 'in', 'to', 'by', 'on', 'new', 'w', 'or', '-']);

/** Model numbers this long, when rare, are all but unique to one product ("kxflb801", "lsc21943st"). */
const LONG_CODE = 6;

/** A price of zero or less is a placeholder, not a price. */
function positive(value: number | null): number | null {
  return value !== null && value > 0 ? value : null;
}

/**
 * The manufacturer's identity: the first token of its normalized name without legal form
 * ("Hydromec Industrietechnik GmbH" -> 'hydromec').
 *
 * @example
 * ```ts
 * manufacturerKey('Sony Corp.') // 'sony'
 * ```
 */
export function manufacturerKey(text: string | null): string | null {
  const org = orgName(text);
  return org && org.tokens.length > 0 ? org.tokens[0] : null;
}

/**
 * The standalone numbers of a product name (versions, years, sizes), trailing zero decimals
 * dropped ("7.0" -> "7", "5.x" -> "5"); numbers glued to letters ("v3", "cs2") are model codes.
 *
 * @example
 * ```ts
 * nameNumbers('Pitstop Pro 7.0 upgr - 5.x or below') // ['5', '7']
 * ```
 */
export function nameNumbers(name: string | null): string[] | null {
  if (!name) return null;
  const found = name.toLowerCase().match(/(?<![\p{L}\p{N}.])\d+(?:\.\d+)?(?![\p{L}\p{N}])/gu);
  if (!found) return null;
  return distinctSorted(found.map((n) => n.replace(/\.0+$/, '').replace(/^0+(?=\d)/, '')));
}

/**
 * Prepare a product record for matching.
 *
 * Fields: `partNorm` / `partSkeleton` (the source's part number), `mpnNorm` / `mpnSkeleton`
 * (manufacturer part number), `partKeys` (every part-number form, for blocking), `gtin` (valid
 * check digit only) and `gtinAny`, `manufacturerNorm`, `manufacturerKey`, `nameNorm`,
 * `nameTokens` (stop words dropped), `modelNumbers` (codes found in part numbers and the name),
 * `modelStems` (model numbers cut after their last digit, see `modelStems`), `modelNumbersLong`
 * (model numbers of 6 characters or more: rare ones are all but unique to one product),
 * `measures` / `measureUnits` (sizes and ratings of the name, see `measures`),
 * `nameKeys` (name tokens and model numbers: `KX-TSC14W` also as `kxtsc14w`),
 * `nameNumbers` (standalone numbers of the name), `colours` (colours the name states, see `colours`), `descriptionTokens`, `family`, `price`, `currency`.
 *
 * @example
 * ```ts
 * const r = prepareProduct({ id: 0, source: 'erp', sourceId: 'P1', attributes: { partNumber: 'PMP-200', name: 'Pump PMP-200', manufacturer: 'Hydromec GmbH' } }, NO_REFERENCES);
 * r.fields.partNorm     // 'PMP200'
 * r.fields.modelNumbers // ['pmp200']
 * ```
 */
export function prepareProduct(input: PrepareInput, _context: PrepareContext): PreparedRecord {
  const a = input.attributes;
  const part = partNumber(attributeText(a, 'partNumber'));
  const mpn = partNumber(attributeText(a, 'manufacturerPartNumber'));
  const code = gtin(attributeText(a, 'gtin'));
  const manufacturerText = attributeText(a, 'manufacturer');
  const manufacturer = orgName(manufacturerText);
  const name = attributeText(a, 'name');
  const nameTokens = name ? tokenize(name).filter((t) => !STOP_WORDS.has(t)) : [];
  const description = attributeText(a, 'description');
  const descriptionTokens = description ? tokenize(description).filter((t) => !STOP_WORDS.has(t)) : [];
  const codes = distinctSorted([
    ...modelNumbers(attributeText(a, 'partNumber')),
    ...modelNumbers(attributeText(a, 'manufacturerPartNumber')),
    ...modelNumbers(name),
  ]);
  const family = attributeText(a, 'family');
  const sizes = measures(name);
  const fields: Record<string, PreparedValue> = {
    partNorm: part?.normalized || null,
    partSkeleton: part?.skeleton || null,
    mpnNorm: mpn?.normalized || null,
    mpnSkeleton: mpn?.skeleton || null,
    partKeys: distinctSorted([part?.skeleton, mpn?.skeleton]),
    gtin: code && code.valid ? code.value : null,
    gtinAny: code?.value ?? null,
    manufacturerNorm: manufacturer?.name || null,
    manufacturerKey: manufacturerKey(manufacturerText),
    nameNorm: nameTokens.length > 0 ? nameTokens.join(' ') : null,
    nameTokens: nameTokens.length > 0 ? nameTokens : null,
    modelNumbers: codes,
    modelStems: distinctSorted(modelStems(codes)),
    modelNumbersLong: distinctSorted((codes ?? []).filter((c) => c.length >= LONG_CODE)),
    measures: distinctSorted(sizes),
    measureUnits: distinctSorted(measureUnits(sizes)),
    nameKeys: distinctSorted([...nameTokens, ...(codes ?? [])]),
    nameNumbers: nameNumbers(name),
    colours: distinctSorted(colours(name)),
    descriptionTokens: descriptionTokens.length > 0 ? descriptionTokens : null,
    family: family ? tokenize(family).join(' ') || null : null,
    price: positive(attributeNumber(a, 'price')),
    currency: attributeText(a, 'currency')?.toUpperCase() ?? null,
  };
  return { id: input.id, source: input.source, fields };
}
