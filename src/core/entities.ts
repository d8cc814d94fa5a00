/**
 * The six entity types of the hub and their canonical attributes
 * (see `shared/spec/canonical-records.md`).
 *
 * @example
 * ```ts
 * isEntityType('asset') // true
 * ENTITY_ATTRIBUTES.serial.serialNumber // 'string'
 * ```
 */
export const ENTITY_TYPES = ['customer', 'product', 'serial', 'asset', 'contract', 'location'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export function isEntityType(value: unknown): value is EntityType {
  return typeof value === 'string' && (ENTITY_TYPES as readonly string[]).includes(value);
}

/** The kind of value an attribute holds; drives validation and (later) standardization. */
export type AttributeKind = 'string' | 'number' | 'date' | 'ref' | 'refs' | 'enum';

export interface AttributeSpec {
  kind: AttributeKind;
  /** For `ref`/`refs`: the entity type the reference points at (same source system). */
  target?: EntityType;
  /** For `enum`: the allowed values. */
  values?: readonly string[];
}

const s: AttributeSpec = { kind: 'string' };
const d: AttributeSpec = { kind: 'date' };
const n: AttributeSpec = { kind: 'number' };
const ref = (target: EntityType): AttributeSpec => ({ kind: 'ref', target });
const refs = (target: EntityType): AttributeSpec => ({ kind: 'refs', target });

export const ENTITY_ATTRIBUTES: Record<EntityType, Record<string, AttributeSpec>> = {
  customer: {
    kind: { kind: 'enum', values: ['organization', 'person'] },
    name: s, givenName: s, familyName: s,
    taxId: s, duns: s, nationalId: s,
    dateOfBirth: d,
    street: s, houseNumber: s, addressLine2: s, city: s, postalCode: s, region: s, country: s,
    phone: s, email: s, website: s,
    parentRef: ref('customer'),
  },
  product: {
    partNumber: s, manufacturerPartNumber: s, manufacturer: s, gtin: s,
    name: s, description: s, family: s, uom: s, status: s, price: n, currency: s,
  },
  serial: {
    serialNumber: s, productRef: ref('product'), partNumber: s, manufacturer: s,
    manufactureDate: d, plant: s, batch: s,
  },
  asset: {
    serialNumber: s, productRef: ref('product'), partNumber: s, name: s,
    customerRef: ref('customer'), locationRef: ref('location'), installDate: d, status: s,
  },
  contract: {
    contractNumber: s, customerRef: ref('customer'), assetRefs: refs('asset'),
    startDate: d, endDate: d, serviceLevel: s, status: s,
  },
  location: {
    name: s, gln: s, street: s, houseNumber: s, city: s, postalCode: s, region: s, country: s,
    latitude: n, longitude: n, customerRef: ref('customer'),
  },
};

/** The envelope fields every canonical record carries. */
export const ENVELOPE_FIELDS = ['entity', 'source', 'sourceId', 'updatedAt', 'deleted'] as const;

/** A validated canonical source record. `attributes` holds the known attributes, `raw` the whole input. */
export interface CanonicalRecord {
  entity: EntityType;
  source: string;
  sourceId: string;
  /** ISO-8601 timestamp normalized to UTC (`toISOString()`), or null when the source gave none. */
  updatedAt: string | null;
  deleted: boolean;
  attributes: Record<string, string | number | string[] | null>;
  /** The record as received, unknown fields included. */
  raw: Record<string, unknown>;
}
