/**
 * Salesforce (REST API, SOQL) as a source: Account (organizations) and Contact (persons) as
 * customers, Product2, Location, Asset and ServiceContract, mapped to canonical records as
 * `docs/sources.md` describes.
 *
 * Authenticates with the OAuth 2.0 client-credentials flow and renews the token once when a call
 * answers 401 INVALID_SESSION_ID. Reads with `queryAll` (so deleted rows come back with
 * `IsDeleted = true` and become `deleted` records) ordered by `SystemModstamp, Id`, following
 * `nextRecordsUrl`; a lost query cursor is reopened from the last row with a keyset filter.
 * `updatedAt` is `LastModifiedDate`; the watermark is `SystemModstamp`.
 */
import type { EntityType } from '../../core/entities';
import type { SourceHttpClient } from '../http-client';
import { SourceHttpError } from '../http-client';
import { type MappedItem, type PageOptions, PayloadError, type SourceAdapter, type SourceFeed, type SourcePage, type Watermark } from '../source-adapter';
import { type ObjectAccess, unknownObject } from './object-access';
import { bool, compact, decimal, key, list, mapSafely, object, type Payload, splitStreet, text } from './payload';

export interface SalesforceAdapterOptions {
  source: string;
  baseUrl: string;
  http: SourceHttpClient;
  clientId: string;
  clientSecret: string;
  tokenUrl?: string;
  apiVersion?: string;
  pageSize?: number;
  overlapSeconds?: number;
}

/** Parses a Salesforce datetime (`…+0000` or `…Z`) to ms. */
export function parseSalesforceDateTime(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (!Number.isNaN(ms)) return ms;
  }
  throw new PayloadError(`${field} ${JSON.stringify(value)} is not a Salesforce datetime (expected 2025-11-02T14:05:31.000+0000)`);
}

function soqlDateTime(ms: number): string {
  return new Date(ms).toISOString();
}

interface ObjectSpec {
  object: string;
  entity: EntityType;
  fields: string[];
  map: (p: Payload) => Record<string, unknown>;
}

/** Creates the Salesforce adapter. */
export function createSalesforceAdapter(options: SalesforceAdapterOptions): SourceAdapter & ObjectAccess {
  const source = options.source;
  const version = options.apiVersion ?? 'v60.0';
  const pageSize = Math.max(200, Math.min(2000, options.pageSize ?? 2000));
  const overlap = (options.overlapSeconds ?? 1) * 1000;
  const tokenUrl = options.tokenUrl ?? `${options.baseUrl.replace(/\/+$/, '')}/services/oauth2/token`;
  let session: { token: string; instanceUrl: string } | null = null;

  const login = async (signal?: AbortSignal) => {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: options.clientId, client_secret: options.clientSecret }).toString();
    const res = await options.http.requestJson<{ access_token?: string; instance_url?: string }>(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      signal,
    });
    if (!res.body?.access_token) throw new Error(`${source}: the token endpoint answered without an access_token`);
    options.http.addSecret(res.body.access_token);
    session = { token: res.body.access_token, instanceUrl: (res.body.instance_url ?? options.baseUrl).replace(/\/+$/, '') };
    return session;
  };

  const get = async (pathOrUrl: string, signal?: AbortSignal): Promise<Payload> => {
    for (let attempt = 0; ; attempt++) {
      const s = session ?? (await login(signal));
      const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${s.instanceUrl}${pathOrUrl}`;
      try {
        const res = await options.http.getJson<Payload>(url, { authorization: `Bearer ${s.token}`, 'sforce-query-options': `batchSize=${pageSize}` }, signal);
        return res.body;
      } catch (error) {
        if (error instanceof SourceHttpError && error.status === 401 && attempt === 0) {
          session = null; // expired session: log in again once
          continue;
        }
        throw error;
      }
    }
  };

  const envelope = (entity: EntityType, p: Payload, attrs: Record<string, unknown>) => {
    const updated = parseSalesforceDateTime(p.LastModifiedDate, 'LastModifiedDate') ?? parseSalesforceDateTime(p.SystemModstamp, 'SystemModstamp');
    const { attributes: _a, ...payload } = p;
    return compact({
      entity,
      source,
      sourceId: key(p, 'Id'),
      updatedAt: updated === undefined ? undefined : new Date(updated).toISOString(),
      deleted: bool(p, 'IsDeleted'),
      ...attrs,
      sourcePayload: stripAttributes(payload),
    });
  };
  const address = (p: Payload, prefix: string) => {
    const { street, addressLine2 } = splitStreet(text(p, `${prefix}Street`));
    return { street, addressLine2, city: text(p, `${prefix}City`), region: text(p, `${prefix}State`), postalCode: text(p, `${prefix}PostalCode`), country: text(p, `${prefix}Country`) };
  };
  const common = ['Id', 'IsDeleted', 'LastModifiedDate', 'SystemModstamp'];

  const specs: ObjectSpec[] = [
    {
      object: 'Account',
      entity: 'customer',
      fields: [...common, 'Name', 'ParentId', 'Phone', 'Website', 'BillingStreet', 'BillingCity', 'BillingState', 'BillingPostalCode', 'BillingCountry', 'VAT_Number__c', 'DUNS__c', 'Email__c'],
      map: (p) => envelope('customer', p, {
        kind: 'organization', name: text(p, 'Name'), ...address(p, 'Billing'), phone: text(p, 'Phone'), website: text(p, 'Website'),
        email: text(p, 'Email__c'), taxId: text(p, 'VAT_Number__c'), duns: text(p, 'DUNS__c'), parentRef: text(p, 'ParentId'),
      }),
    },
    {
      object: 'Contact',
      entity: 'customer',
      fields: [...common, 'FirstName', 'LastName', 'Name', 'Birthdate', 'Email', 'Phone', 'MobilePhone', 'MailingStreet', 'MailingCity', 'MailingState', 'MailingPostalCode', 'MailingCountry', 'National_Id__c', 'VAT_Number__c'],
      map: (p) => envelope('customer', p, {
        kind: 'person', givenName: text(p, 'FirstName'), familyName: text(p, 'LastName'),
        name: text(p, 'Name') ?? ([text(p, 'FirstName'), text(p, 'LastName')].filter(Boolean).join(' ') || undefined),
        dateOfBirth: p.Birthdate ?? undefined, email: text(p, 'Email'), phone: text(p, 'Phone') ?? text(p, 'MobilePhone'),
        ...address(p, 'Mailing'), nationalId: text(p, 'National_Id__c'), taxId: text(p, 'VAT_Number__c'),
      }),
    },
    {
      object: 'Product2',
      entity: 'product',
      fields: [...common, 'Name', 'ProductCode', 'Description', 'Family', 'QuantityUnitOfMeasure', 'IsActive', 'Manufacturer__c', 'ManufacturerPartNumber__c', 'GTIN__c', '(SELECT UnitPrice, CurrencyIsoCode FROM PricebookEntries)'],
      map: (p) => {
        const price = list(p, 'PricebookEntries', 'records')[0];
        return envelope('product', p, {
          partNumber: text(p, 'ProductCode'), name: text(p, 'Name'), description: text(p, 'Description'), family: text(p, 'Family'),
          uom: text(p, 'QuantityUnitOfMeasure'), status: bool(p, 'IsActive') ? 'Active' : 'Inactive', manufacturer: text(p, 'Manufacturer__c'),
          manufacturerPartNumber: text(p, 'ManufacturerPartNumber__c'), gtin: text(p, 'GTIN__c'),
          price: price ? decimal(price, 'UnitPrice') : undefined, currency: price ? text(price, 'CurrencyIsoCode') : undefined,
        });
      },
    },
    {
      object: 'Location',
      entity: 'location',
      fields: [...common, 'Name', 'ExternalReference', 'Latitude', 'Longitude', 'AccountId', 'VisitorAddress.Street', 'VisitorAddress.City', 'VisitorAddress.State', 'VisitorAddress.PostalCode', 'VisitorAddress.Country'],
      map: (p) => {
        const a = object(p, 'VisitorAddress');
        const { street } = splitStreet(a ? text(a, 'Street') : undefined);
        return envelope('location', p, {
          name: text(p, 'Name'), gln: text(p, 'ExternalReference'), street,
          city: a ? text(a, 'City') : undefined, region: a ? text(a, 'State') : undefined, postalCode: a ? text(a, 'PostalCode') : undefined,
          country: a ? text(a, 'Country') : undefined, latitude: decimal(p, 'Latitude'), longitude: decimal(p, 'Longitude'), customerRef: text(p, 'AccountId'),
        });
      },
    },
    {
      object: 'Asset',
      entity: 'asset',
      fields: [...common, 'Name', 'SerialNumber', 'Product2Id', 'ProductCode', 'AccountId', 'LocationId', 'InstallDate', 'Status'],
      map: (p) => envelope('asset', p, {
        serialNumber: text(p, 'SerialNumber'), productRef: text(p, 'Product2Id'), partNumber: text(p, 'ProductCode'), name: text(p, 'Name'),
        customerRef: text(p, 'AccountId'), locationRef: text(p, 'LocationId'), installDate: p.InstallDate ?? undefined, status: text(p, 'Status'),
      }),
    },
    {
      object: 'ServiceContract',
      entity: 'contract',
      fields: [...common, 'ContractNumber', 'AccountId', 'StartDate', 'EndDate', 'Status', 'Service_Level__c', '(SELECT AssetId FROM ContractLineItems)'],
      map: (p) => {
        const assets = list(p, 'ContractLineItems', 'records').map((l) => text(l, 'AssetId')).filter((x): x is string => !!x);
        return envelope('contract', p, {
          contractNumber: text(p, 'ContractNumber'), customerRef: text(p, 'AccountId'), assetRefs: assets.length ? assets : undefined,
          startDate: p.StartDate ?? undefined, endDate: p.EndDate ?? undefined, serviceLevel: text(p, 'Service_Level__c'), status: text(p, 'Status'),
        });
      },
    },
  ];

  const feed = (spec: ObjectSpec): SourceFeed => ({
    name: spec.object,
    entities: [spec.entity],
    async *pages({ since, signal }: PageOptions): AsyncIterable<SourcePage> {
      let position: { ms: number; key: string } | null = null;
      const soql = (where: string | null) =>
        `SELECT ${spec.fields.join(', ')} FROM ${spec.object}${where ? ` WHERE ${where}` : ''} ORDER BY SystemModstamp, Id`;
      let next: string | null = `/services/data/${version}/queryAll?q=${encodeURIComponent(soql(since ? `SystemModstamp >= ${soqlDateTime(Date.parse(since.stamp) - overlap)}` : null))}`;
      while (next) {
        let body: Payload;
        try {
          body = await get(next, signal);
        } catch (error) {
          // The query cursor expired or was lost: reopen the query after the last row read.
          if (error instanceof SourceHttpError && error.status === 400 && /INVALID_QUERY_LOCATOR/.test(error.message) && position) {
            const p: { ms: number; key: string } = position;
            const at = soqlDateTime(p.ms);
            next = `/services/data/${version}/queryAll?q=${encodeURIComponent(soql(`(SystemModstamp > ${at} OR (SystemModstamp = ${at} AND Id > '${p.key}'))`))}`;
            continue;
          }
          throw error;
        }
        const records = body?.records;
        if (!Array.isArray(records)) throw new Error(`${source}: ${spec.object} query answered without records`);
        const items: MappedItem[] = [];
        let last: Watermark | null = null;
        for (const raw of records as Payload[]) {
          items.push(mapSafely(raw, spec.entity, 'Id', spec.map));
          try {
            const ms = parseSalesforceDateTime(raw.SystemModstamp, 'SystemModstamp');
            const k = key(raw, 'Id');
            if (ms !== undefined) {
              position = { ms, key: k };
              last = { stamp: new Date(ms).toISOString(), key: k };
            }
          } catch {
            // quarantined by the mapping; the position stays at the last good row
          }
        }
        yield { items, watermark: last, rows: records.length };
        next = body.done === false && typeof body.nextRecordsUrl === 'string' ? body.nextRecordsUrl : null;
      }
    },
  });

  // Record-at-a-time access (event-driven ingest): the feeds' mappings and query.
  const specOf = new Map(specs.map((s) => [s.object, s]));
  const objects = specs.map((s) => s.object);
  const mapObject = (object: string, payload: Payload): MappedItem => {
    const spec = specOf.get(object);
    if (!spec) return unknownObject('Salesforce', object, objects, null);
    return mapSafely(payload, spec.entity, 'Id', spec.map);
  };
  const readOne = async (object: string, id: string, signal?: AbortSignal): Promise<MappedItem | null> => {
    const spec = specOf.get(object);
    if (!spec) return unknownObject('Salesforce', object, objects, id);
    if (!SALESFORCE_ID.test(id)) throw new PayloadError(`${JSON.stringify(id.slice(0, 40))} is not a Salesforce record id (15 or 18 letters and digits)`);
    // queryAll: a deleted record comes back with IsDeleted = true.
    const q = `SELECT ${spec.fields.join(', ')} FROM ${spec.object} WHERE Id = '${id}'`;
    const body = await get(`/services/data/${version}/queryAll?q=${encodeURIComponent(q)}`, signal);
    const records = body?.records;
    if (!Array.isArray(records)) throw new Error(`${source}: ${spec.object} query answered without records`);
    return records.length === 0 ? null : mapObject(object, records[0] as Payload);
  };

  return { source, kind: 'salesforce', feeds: specs.map(feed), objects, keyField: (object) => (specOf.has(object) ? 'Id' : undefined), mapObject, readOne };
}

/** A Salesforce record id: 15 (case-sensitive) or 18 characters. */
export const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** Compound fields of change events and the prefix their components have in queries (`BillingAddress.City` = `BillingCity`). */
const COMPOUND_ADDRESS = new Set(['BillingAddress', 'ShippingAddress', 'MailingAddress', 'OtherAddress']);

/**
 * The fields of a Change Data Capture event body in the shape a query returns them: compound
 * addresses split into their prefixed columns (`BillingAddress: {City}` = `BillingCity`), a
 * compound person name (`Name: {FirstName, LastName}`) into its parts (the full `Name` then
 * undefined, so the mapping composes it); the header left out.
 * Field names in `nulledFields` (`BillingAddress.City` too) are set to null.
 */
export function changeEventFields(body: Payload, nulledFields: readonly string[] = []): Payload {
  const out: Payload = {};
  const column = (name: string): string => {
    const [head, part] = name.split('.', 2);
    if (part === undefined) return head;
    if (COMPOUND_ADDRESS.has(head)) return `${head.slice(0, -'Address'.length)}${part}`;
    return head === 'Name' ? part : name;
  };
  for (const [k, v] of Object.entries(body)) {
    if (k === 'ChangeEventHeader') continue;
    const compound = v !== null && typeof v === 'object' && !Array.isArray(v);
    if (compound && (COMPOUND_ADDRESS.has(k) || k === 'Name')) {
      for (const [part, value] of Object.entries(v as Payload)) out[column(`${k}.${part}`)] = value;
      // The full name is a formula of its parts: left out, the mapping composes it from them.
      if (k === 'Name') out.Name = undefined;
    } else out[k] = v;
  }
  for (const name of nulledFields) out[column(name)] = null;
  return out;
}

function stripAttributes(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(stripAttributes);
  const out: Record<string, unknown> = {};
  for (const k in value as Payload) if (k !== 'attributes') out[k] = stripAttributes((value as Payload)[k]);
  return out;
}
