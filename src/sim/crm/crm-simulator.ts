/**
 * A local Salesforce-style REST server over the synthetic world's CRM records: OAuth client
 * credentials at `/services/oauth2/token`, SOQL through `/services/data/vNN.N/query?q=` and
 * `queryAll` (deleted rows, `IsDeleted = true`), `nextRecordsUrl` cursors, `attributes` on every
 * record, relationship fields (`VisitorAddress.Street`) and child subqueries
 * (`(SELECT AssetId FROM ContractLineItems)`). Objects: Account (organizations), Contact
 * (persons), Product2, Asset, ServiceContract, Location.
 *
 * @example
 * ```ts
 * const crm = await startCrmSimulator({ records, auth: { clientId: 'hub', clientSecret: 's3cret' } });
 * // POST {crm.url}/services/oauth2/token, then
 * // GET  {crm.url}/services/data/v60.0/queryAll?q=SELECT+Id,Name+FROM+Account
 * ```
 */
import { randomBytes } from 'node:crypto';
import type { EntityType } from '../../core/entities';
import {
  FaultInjector,
  RowJsonCache,
  type SimClock,
  type SimRecord,
  type SimRequest,
  type SimResponse,
  type SimRow,
  SimStore,
  type Simulator,
  startSimServer,
} from '../index';
import { evaluateSoql, parseSfDateTime, parseSoql, type SoqlQuery, type SoqlValue, soqlLowerBound } from './soql';

export interface CrmSimulatorOptions {
  records?: Iterable<SimRecord>;
  source?: string;
  auth: { clientId: string; clientSecret: string };
  /** Largest batch per response (Salesforce: 2000; the client may ask for 200..2000). */
  maxBatchSize?: number;
  clock?: SimClock;
  /** Keep each row's rendered JSON for the next read (default true; false for a system read once, see `RowJsonCache`). */
  cacheResponses?: boolean;
}

export interface CrmSimulator extends Simulator {
  /** Invalidates every issued access token (the next call gets 401 INVALID_SESSION_ID). */
  expireTokens(): void;
  /** How many tokens were issued. */
  readonly tokensIssued: number;
}

interface SObjectDef {
  entity: EntityType;
  filter?: (r: SimRecord) => boolean;
  prefix: string;
  render: (row: SimRow) => Record<string, unknown>;
}

/** `2025-11-02T14:05:31.000+0000`, the format Salesforce returns datetimes in. */
export function sfDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

const V = 'v60.0';
const orNull = (v: unknown) => (v === undefined || v === '' ? null : v);
const s = (v: unknown) => (v === undefined || v === null || v === '' ? null : String(v));

function common(type: string, row: SimRow): Record<string, unknown> {
  return {
    attributes: { type, url: `/services/data/${V}/sobjects/${type}/${row.id}` },
    Id: row.id,
    IsDeleted: row.record.deleted === true,
    CreatedDate: sfDateTime(Math.min(row.changedAt, Date.parse('2022-01-01T00:00:00Z'))),
    LastModifiedDate: sfDateTime(row.changedAt),
    SystemModstamp: sfDateTime(row.systemAt),
  };
}

function street(r: SimRecord): string | null {
  const line = [s(r.street) && (r.houseNumber ? `${r.street} ${r.houseNumber}` : r.street), s(r.addressLine2)].filter(Boolean).join('\n');
  return line === '' ? null : line;
}

function child(type: string, records: Record<string, unknown>[]): unknown {
  if (records.length === 0) return null;
  return { totalSize: records.length, done: true, records: records.map((r) => ({ attributes: { type }, ...r })) };
}

const OBJECTS: Record<string, SObjectDef> = {
  Account: {
    entity: 'customer',
    filter: (r) => r.kind !== 'person',
    prefix: '001',
    render: (row) => {
      const r = row.record;
      return {
        ...common('Account', row),
        Name: s(r.name), AccountNumber: null, ParentId: s(r.parentRef), Type: 'Customer',
        Phone: s(r.phone), Website: s(r.website),
        BillingStreet: street(r), BillingCity: s(r.city), BillingState: s(r.region), BillingPostalCode: s(r.postalCode), BillingCountry: s(r.country),
        VAT_Number__c: s(r.taxId), DUNS__c: s(r.duns), Email__c: s(r.email),
      };
    },
  },
  Contact: {
    entity: 'customer',
    filter: (r) => r.kind === 'person',
    prefix: '003',
    render: (row) => {
      const r = row.record;
      return {
        ...common('Contact', row),
        FirstName: s(r.givenName), LastName: s(r.familyName), Name: s(r.name), Birthdate: s(r.dateOfBirth),
        Email: s(r.email), Phone: s(r.phone), AccountId: s(r.parentRef), National_Id__c: s(r.nationalId), VAT_Number__c: s(r.taxId),
        MailingStreet: street(r), MailingCity: s(r.city), MailingState: s(r.region), MailingPostalCode: s(r.postalCode), MailingCountry: s(r.country),
      };
    },
  },
  Product2: {
    entity: 'product',
    prefix: '01t',
    render: (row) => {
      const r = row.record;
      return {
        ...common('Product2', row),
        Name: s(r.name), ProductCode: s(r.partNumber), Description: s(r.description), Family: s(r.family),
        QuantityUnitOfMeasure: s(r.uom), IsActive: r.status === 'Active', ExternalId: null,
        Manufacturer__c: s(r.manufacturer), ManufacturerPartNumber__c: s(r.manufacturerPartNumber), GTIN__c: s(r.gtin),
        PricebookEntries: r.price === undefined ? null : child('PricebookEntry', [{ UnitPrice: r.price, CurrencyIsoCode: s(r.currency), IsActive: true }]),
      };
    },
  },
  Asset: {
    entity: 'asset',
    prefix: '02i',
    render: (row) => {
      const r = row.record;
      return {
        ...common('Asset', row),
        Name: s(r.name), SerialNumber: s(r.serialNumber), Product2Id: s(r.productRef), ProductCode: s(r.partNumber),
        AccountId: s(r.customerRef), LocationId: s(r.locationRef), InstallDate: orNull(r.installDate), Status: s(r.status),
      };
    },
  },
  ServiceContract: {
    entity: 'contract',
    prefix: '810',
    render: (row) => {
      const r = row.record;
      const assets = Array.isArray(r.assetRefs) ? (r.assetRefs as string[]) : [];
      return {
        ...common('ServiceContract', row),
        Name: s(r.contractNumber), ContractNumber: s(r.contractNumber), AccountId: s(r.customerRef),
        StartDate: orNull(r.startDate), EndDate: orNull(r.endDate), Status: s(r.status), Service_Level__c: s(r.serviceLevel),
        ContractLineItems: child('ContractLineItem', assets.map((a) => ({ AssetId: a }))),
      };
    },
  },
  Location: {
    entity: 'location',
    prefix: '131',
    render: (row) => {
      const r = row.record;
      const addressId = `8lW${row.id.slice(3)}`;
      return {
        ...common('Location', row),
        Name: s(r.name), LocationType: 'Site', ExternalReference: s(r.gln),
        Latitude: typeof r.latitude === 'number' ? r.latitude : null, Longitude: typeof r.longitude === 'number' ? r.longitude : null,
        AccountId: s(r.customerRef), ParentLocationId: null, VisitorAddressId: addressId,
        VisitorAddress: {
          attributes: { type: 'Address', url: `/services/data/${V}/sobjects/Address/${addressId}` },
          Street: street(r), City: s(r.city), State: s(r.region), PostalCode: s(r.postalCode), Country: s(r.country),
        },
      };
    },
  },
};

function sfError(status: number, errorCode: string, message: string): SimResponse {
  return { status, body: [{ message, errorCode }] };
}

function project(full: Record<string, unknown>, q: SoqlQuery): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: full.attributes };
  for (const f of q.fields) {
    const parts = f.split('.');
    if (parts.length === 1) {
      out[f] = full[f] === undefined ? null : full[f];
      continue;
    }
    const rel = full[parts[0]] as Record<string, unknown> | null | undefined;
    if (!rel) {
      out[parts[0]] = null;
      continue;
    }
    const target = (out[parts[0]] ??= { attributes: rel.attributes }) as Record<string, unknown>;
    target[parts[1]] = rel[parts[1]] === undefined ? null : rel[parts[1]];
  }
  for (const sub of q.subqueries) {
    const rel = full[sub.relationship] as { totalSize: number; done: boolean; records: Record<string, unknown>[] } | null | undefined;
    out[sub.relationship] = rel
      ? { ...rel, records: rel.records.map((r) => Object.fromEntries([['attributes', r.attributes], ...sub.fields.map((f) => [f, r[f] ?? null])])) }
      : null;
  }
  return out;
}

/** Starts the simulator on a loopback port. */
export async function startCrmSimulator(options: CrmSimulatorOptions): Promise<CrmSimulator> {
  const source = options.source ?? 'crm';
  const store = new SimStore(options.clock);
  const records = options.records ?? [];
  store.load((function* () {
    for (const r of records) if (r.source === source) yield r;
  })());
  const faults = new FaultInjector();
  const maxBatch = options.maxBatchSize ?? 2000;
  let tokens = new Set<string>();
  let issued = 0;
  const cursors = new Map<string, { rows: SimRow[]; def: SObjectDef; query: SoqlQuery; batch: number; variant: string }>();
  const jsonCache = new RowJsonCache(options.cacheResponses ?? true);
  let cursorSeq = 0;

  const render = (def: SObjectDef, row: SimRow) => {
    const full = def.render(row);
    if (row.corrupt) Object.assign(full, row.corrupt);
    return full;
  };

  const batchOf = (cursorId: string, offset: number): SimResponse => {
    const c = cursors.get(cursorId);
    if (!c) return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    const slice = c.rows.slice(offset, offset + c.batch);
    const done = offset + slice.length >= c.rows.length;
    const cached = jsonCache.variant(c.variant);
    const records = slice.map((row) => cached(row, () => JSON.stringify(project(render(c.def, row), c.query))));
    let text = `{"totalSize":${c.rows.length},"done":${done},`;
    if (!done) text += `"nextRecordsUrl":"/services/data/${V}/query/${cursorId}-${offset + slice.length}",`;
    else cursors.delete(cursorId);
    return { status: 200, body: null, text: `${text}"records":[${records.join(',')}]}` };
  };

  const handle = (req: SimRequest): SimResponse => {
    const path = req.url.pathname;
    if (path === '/services/oauth2/token') {
      if (req.method !== 'POST') return { status: 405, body: { error: 'invalid_request' } };
      const form = new URLSearchParams(req.body);
      if (form.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' } };
      if (form.get('client_id') !== options.auth.clientId || form.get('client_secret') !== options.auth.clientSecret) {
        return { status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } };
      }
      const token = `00D${randomBytes(24).toString('base64url')}`;
      tokens.add(token);
      issued++;
      return {
        status: 200,
        body: { access_token: token, instance_url: `http://${req.headers.host}`, id: `http://${req.headers.host}/id/00D000000000001/005000000000001`, token_type: 'Bearer', issued_at: String(Date.now()), signature: randomBytes(16).toString('base64') },
      };
    }
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !tokens.has(auth.slice(7))) return sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    const m = /^\/services\/data\/v\d+\.\d+\/(query|queryAll)(?:\/([A-Za-z0-9]+)-(\d+))?\/?$/.exec(path);
    if (!m) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (m[2]) return batchOf(m[2], Number(m[3]));
    const text = req.url.searchParams.get('q');
    if (!text) return sfError(400, 'MALFORMED_QUERY', 'q is missing');
    let query: SoqlQuery;
    try {
      query = parseSoql(text);
    } catch (error) {
      return sfError(400, 'MALFORMED_QUERY', (error as Error).message);
    }
    const def = OBJECTS[query.object];
    if (!def) return sfError(400, 'INVALID_TYPE', `sObject type '${query.object}' is not supported.`);
    const all = m[1] === 'queryAll';
    const bySystem = query.orderBy.length === 0 || query.orderBy[0].field === 'SystemModstamp';
    let rows = bySystem ? store.rowsBySystemStamp(def.entity) : store.rows(def.entity);
    let start = 0;
    if (bySystem && query.where) {
      const bound = soqlLowerBound(query.where, 'SystemModstamp');
      let lo = 0;
      let hi = rows.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (rows[mid].systemAt < bound) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const cache = new Map<SimRow, Record<string, unknown>>();
    const full = (row: SimRow) => {
      let f = cache.get(row);
      if (!f) cache.set(row, (f = render(def, row)));
      return f;
    };
    const get = (row: SimRow) => (field: string): SoqlValue => {
      if (!row.corrupt) {
        if (field === 'Id') return row.id;
        if (field === 'SystemModstamp') return row.systemAt;
        if (field === 'LastModifiedDate') return row.changedAt;
        if (field === 'IsDeleted') return row.record.deleted === true;
      }
      const v = full(row)[field];
      if (typeof v === 'string') return parseSfDateTime(v) ?? v;
      return v === undefined || typeof v === 'object' ? null : (v as SoqlValue);
    };
    const matched: SimRow[] = [];
    for (let i = start; i < rows.length; i++) {
      const row = rows[i];
      if (def.filter && !def.filter(row.record)) continue;
      if (!all && row.record.deleted === true) continue;
      if (query.where && !evaluateSoql(query.where, get(row))) continue;
      matched.push(row);
    }
    rows = matched;
    const order = query.orderBy;
    const natural = order.length === 0 || (order[0].field === 'SystemModstamp' && !order[0].desc && (order.length === 1 || (order[1].field === 'Id' && !order[1].desc && order.length === 2)));
    if (!natural) {
      rows = [...rows].sort((a, b) => {
        for (const o of order) {
          const x = get(a)(o.field);
          const y = get(b)(o.field);
          if (x === y) continue;
          const c = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
          return o.desc ? -c : c;
        }
        return 0;
      });
    }
    if (query.limit !== undefined) rows = rows.slice(0, query.limit);
    const hint = /batchSize=(\d+)/.exec(String(req.headers['sforce-query-options'] ?? ''));
    const batch = Math.min(maxBatch, Math.max(200, hint ? Number(hint[1]) : maxBatch));
    const id = `01g${String(++cursorSeq).padStart(12, '0')}`;
    cursors.set(id, { rows: rows as SimRow[], def, query, batch, variant: `${query.object}|${query.fields.join(',')}|${query.subqueries.map((q) => `${q.relationship}:${q.fields.join(',')}`).join(';')}` });
    return batchOf(id, 0);
  };

  const server = await startSimServer(handle, faults);
  return {
    url: server.url,
    store,
    faults,
    requests: server.requests,
    get tokensIssued() {
      return issued;
    },
    expireTokens: () => {
      tokens = new Set();
    },
    update: (entity, id, patch, opts) => void store.update(entity, id, patch, opts),
    remove: (entity, id, at) => void store.markDeleted(entity, id, at),
    insert: (record, at) => void store.insert({ ...record, source }, at),
    close: () => server.close(),
  };
}
