/**
 * ServiceNow (Table API) as a field-service source: core_company (organizations) and
 * csm_consumer (persons) as customers, cmn_location, alm_asset (model and CI names dot-walked)
 * and ast_contract (covered assets from clm_m2m_contract_asset), plus deletions from
 * sys_audit_delete (the tables drop deleted rows). Mapping in `docs/sources.md`.
 *
 * Every value is a string; references come as `{link, value}` (or a bare sys_id, or `""` when
 * empty). Reads `sys_updated_on>=<watermark>` ordered by `sys_updated_on, sys_id` one page at a
 * time, re-querying from the last row after each page instead of walking offsets over a set that
 * moves while it is read; rows already read at the watermark second are skipped, and `Link: next`
 * is followed only through a second that holds more rows than a page.
 */
import type { EntityType } from '../../core/entities';
import type { SourceHttpClient } from '../http-client';
import { type MappedItem, type PageOptions, PayloadError, type SourceAdapter, type SourceFeed, type SourcePage, type Watermark } from '../source-adapter';
import { type ObjectAccess, unknownObject } from './object-access';
import { compact, decimal, key, mapSafely, type Payload, text } from './payload';

export interface ServiceNowAdapterOptions {
  source: string;
  baseUrl: string;
  http: SourceHttpClient;
  authorization: string;
  pageSize?: number;
  overlapSeconds?: number;
}

/** `install_status` choice values and the canonical status words. */
export const INSTALL_STATUS_LABEL: Record<string, string> = {
  '1': 'In use', '2': 'On order', '3': 'In maintenance', '6': 'In stock', '7': 'Retired', '8': 'Missing', '9': 'In transit', '10': 'Consumed', '11': 'Build',
};
const CONTRACT_STATES = new Set(['draft', 'active', 'expired', 'cancelled']);

/** `YYYY-MM-DD HH:mm:ss` (UTC) to ms. */
export function parseGlideDateTime(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) {
    const ms = Date.parse(`${value.replace(' ', 'T')}Z`);
    if (!Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19).replace('T', ' ') === value) return ms;
  }
  throw new PayloadError(`${field} ${JSON.stringify(value)} is not a ServiceNow date-time (expected YYYY-MM-DD HH:mm:ss)`);
}

function glide(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** A reference field's sys_id: `{link, value}`, a bare sys_id, or `""`. */
function ref(p: Payload, field: string): string | undefined {
  const v = p[field];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && !Array.isArray(v) && typeof (v as Payload).value === 'string') return ((v as Payload).value as string) || undefined;
  throw new PayloadError(`${field} must be a reference ({link, value} or a sys_id), got ${JSON.stringify(v).slice(0, 60)}`);
}

/** A glide date (`YYYY-MM-DD`, or the date part of a date-time). */
function date(p: Payload, field: string): string | undefined {
  const v = text(p, field);
  if (v === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/.test(v)) return v.slice(0, 10);
  throw new PayloadError(`${field} ${JSON.stringify(v)} is not a date (expected YYYY-MM-DD)`);
}

function refValuesOnly(p: Payload): Payload {
  const out: Payload = {};
  for (const k in p) {
    const v = p[k];
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) && 'value' in (v as Payload) ? (v as Payload).value : v;
  }
  return out;
}

interface TableSpec {
  table: string;
  entities: EntityType[];
  stampField: string;
  fields?: string[];
  query?: string;
  map: (p: Payload) => Record<string, unknown> | null;
  entityOf: (p: Payload) => EntityType | null;
}

const TABLE_ENTITY: Record<string, EntityType> = {
  core_company: 'customer', csm_consumer: 'customer', cmn_location: 'location', alm_asset: 'asset', ast_contract: 'contract',
};

/** Creates the ServiceNow adapter. */
export function createServiceNowAdapter(options: ServiceNowAdapterOptions): SourceAdapter & ObjectAccess {
  const source = options.source;
  const base = options.baseUrl.replace(/\/+$/, '');
  const pageSize = options.pageSize ?? 2000;
  const overlap = (options.overlapSeconds ?? 1) * 1000;
  const headers = { authorization: options.authorization };

  const envelope = (entity: EntityType, p: Payload, attrs: Record<string, unknown>) => {
    const updated = parseGlideDateTime(p.sys_updated_on, 'sys_updated_on');
    return compact({
      entity, source, sourceId: key(p, 'sys_id'),
      updatedAt: updated === undefined ? undefined : new Date(updated).toISOString(),
      ...attrs,
      sourcePayload: refValuesOnly(p),
    });
  };
  const address = (p: Payload) => ({
    street: text(p, 'street'), city: text(p, 'city'), region: text(p, 'state'), postalCode: text(p, 'zip'), country: text(p, 'country'),
  });

  const get = async (table: string, params: URLSearchParams, signal?: AbortSignal) => {
    const url = `${base}/api/now/table/${table}?${params.toString().replace(/\+/g, '%20')}`;
    const res = await options.http.getJson<{ result?: unknown }>(url, headers, signal, [404]);
    if (res.status === 404) return { rows: [] as Payload[], next: null as string | null };
    if (!Array.isArray(res.body?.result)) throw new Error(`${source}: ${table} answered without a result list`);
    const link = res.headers.get('link') ?? '';
    const next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null;
    return { rows: res.body.result as Payload[], next };
  };

  /** Covered assets of the given contracts, in the order the m2m rows give them. */
  const coveredAssets = async (contracts: string[], signal?: AbortSignal): Promise<Map<string, string[]>> => {
    const found = new Map<string, Array<{ asset: string; order: number }>>();
    for (let i = 0; i < contracts.length; i += 150) {
      const chunk = contracts.slice(i, i + 150);
      let offset = 0;
      for (;;) {
        const params = new URLSearchParams({
          sysparm_query: `contractIN${chunk.join(',')}`,
          sysparm_fields: 'contract,asset,u_order',
          sysparm_limit: '10000',
          sysparm_offset: String(offset),
          sysparm_exclude_reference_link: 'true',
          sysparm_no_count: 'true',
        });
        const { rows, next } = await get('clm_m2m_contract_asset', params, signal);
        for (const r of rows) {
          const c = ref(r, 'contract');
          const a = ref(r, 'asset');
          if (c && a) (found.get(c) ?? found.set(c, []).get(c)!).push({ asset: a, order: Number(r.u_order ?? 0) || 0 });
        }
        if (!next || rows.length === 0) break;
        offset += rows.length;
      }
    }
    // u_order is an integer column: sort numerically whatever order the strings came in.
    const out = new Map<string, string[]>();
    for (const [c, list] of found) out.set(c, list.sort((x, y) => x.order - y.order).map((x) => x.asset));
    return out;
  };

  const specs: TableSpec[] = [
    {
      table: 'core_company', entities: ['customer'], stampField: 'sys_updated_on', entityOf: () => 'customer',
      map: (p) => envelope('customer', p, {
        kind: 'organization', name: text(p, 'name'), ...address(p), phone: text(p, 'phone'), website: text(p, 'website'),
        email: text(p, 'u_email'), taxId: text(p, 'u_vat_number'), duns: text(p, 'u_duns'), parentRef: ref(p, 'parent'),
      }),
    },
    {
      table: 'csm_consumer', entities: ['customer'], stampField: 'sys_updated_on', entityOf: () => 'customer',
      map: (p) => envelope('customer', p, {
        kind: 'person', name: text(p, 'name'), givenName: text(p, 'first_name'), familyName: text(p, 'last_name'), ...address(p),
        phone: text(p, 'phone') ?? text(p, 'mobile_phone'), email: text(p, 'email'), dateOfBirth: date(p, 'u_date_of_birth'),
        nationalId: text(p, 'u_national_id'), taxId: text(p, 'u_vat_number'),
      }),
    },
    {
      table: 'cmn_location', entities: ['location'], stampField: 'sys_updated_on', entityOf: () => 'location',
      map: (p) => envelope('location', p, {
        name: text(p, 'name'), gln: text(p, 'u_gln'), ...address(p), latitude: decimal(p, 'latitude'), longitude: decimal(p, 'longitude'),
        customerRef: ref(p, 'company'),
      }),
    },
    {
      table: 'alm_asset', entities: ['asset'], stampField: 'sys_updated_on', entityOf: () => 'asset',
      fields: ['sys_id', 'sys_updated_on', 'sys_mod_count', 'asset_tag', 'serial_number', 'model', 'model.model_number', 'ci', 'ci.name', 'company', 'location', 'install_status', 'install_date'],
      map: (p) => {
        const code = text(p, 'install_status');
        const status = code === undefined ? undefined : INSTALL_STATUS_LABEL[code];
        if (code !== undefined && status === undefined) throw new PayloadError(`install_status ${JSON.stringify(code)} is not a known choice (${Object.keys(INSTALL_STATUS_LABEL).join(', ')})`);
        return envelope('asset', p, {
          serialNumber: text(p, 'serial_number'), partNumber: text(p, 'model.model_number'), name: text(p, 'ci.name'),
          customerRef: ref(p, 'company'), locationRef: ref(p, 'location'), installDate: date(p, 'install_date'), status,
        });
      },
    },
    {
      table: 'ast_contract', entities: ['contract'], stampField: 'sys_updated_on', entityOf: () => 'contract',
      map: (p) => {
        const state = text(p, 'state');
        if (state !== undefined && !CONTRACT_STATES.has(state)) throw new PayloadError(`state ${JSON.stringify(state)} is not a known contract state (draft, active, expired, cancelled)`);
        const assets = p.__coveredAssets as string[] | undefined;
        const { __coveredAssets: _c, ...payload } = p;
        return envelope('contract', payload, {
          contractNumber: text(p, 'number'), customerRef: ref(p, 'account'), assetRefs: assets?.length ? assets : undefined,
          startDate: date(p, 'starts'), endDate: date(p, 'ends'), serviceLevel: text(p, 'u_service_level'), status: state,
        });
      },
    },
    {
      table: 'sys_audit_delete', entities: ['customer', 'location', 'asset', 'contract'], stampField: 'sys_created_on',
      query: `tablenameIN${Object.keys(TABLE_ENTITY).join(',')}`,
      entityOf: (p) => TABLE_ENTITY[String(p.tablename)] ?? null,
      map: (p) => {
        const entity = TABLE_ENTITY[String(p.tablename)];
        if (!entity) return null;
        const at = parseGlideDateTime(p.sys_created_on, 'sys_created_on');
        return compact({
          entity, source, sourceId: key(p, 'documentkey'), updatedAt: at === undefined ? undefined : new Date(at).toISOString(), deleted: true,
          sourcePayload: refValuesOnly(p),
        });
      },
    },
  ];

  const feed = (spec: TableSpec): SourceFeed => ({
    name: spec.table,
    entities: spec.entities,
    async *pages({ since, signal }: PageOptions): AsyncIterable<SourcePage> {
      // Position: rows at `stamp` with sys_id <= key are read. The first query starts at the
      // watermark minus the overlap with nothing read yet.
      let stamp: string | null = since ? glide(Date.parse(since.stamp) - overlap) : null;
      let readKey: string | null = null;
      let offset = 0;
      for (;;) {
        const terms = [stamp ? `${spec.stampField}>=${stamp}` : '', spec.query ?? '', `ORDERBY${spec.stampField}`, 'ORDERBYsys_id'].filter(Boolean);
        const params = new URLSearchParams({
          sysparm_query: terms.join('^'),
          sysparm_limit: String(pageSize),
          sysparm_offset: String(offset),
          sysparm_no_count: 'true',
        });
        if (spec.fields) params.set('sysparm_fields', spec.fields.join(','));
        const { rows, next } = await get(spec.table, params, signal);
        const fresh = rows.filter((r) => !(stamp !== null && readKey !== null && r[spec.stampField] === stamp && typeof r.sys_id === 'string' && r.sys_id <= readKey));
        if (spec.table === 'ast_contract' && fresh.length > 0) {
          const ids = fresh.map((r) => r.sys_id).filter((x): x is string => typeof x === 'string');
          const covered = await coveredAssets(ids, signal);
          for (const r of fresh) if (typeof r.sys_id === 'string') r.__coveredAssets = covered.get(r.sys_id) ?? [];
        }
        const items: MappedItem[] = [];
        let last: Watermark | null = null;
        for (const raw of fresh) {
          const keyField = spec.table === 'sys_audit_delete' ? 'documentkey' : 'sys_id';
          const mapped = mapSafely(raw, spec.entityOf(raw), keyField, (p) => spec.map(p) ?? {});
          if (!(mapped.ok && Object.keys(mapped.input).length === 0)) items.push(mapped);
          const s = raw[spec.stampField];
          if (typeof s === 'string' && typeof raw.sys_id === 'string') {
            try {
              const ms = parseGlideDateTime(s, spec.stampField);
              if (ms !== undefined) {
                if (s !== stamp) {
                  stamp = s;
                  readKey = null;
                }
                readKey = raw.sys_id;
                last = { stamp: new Date(ms).toISOString(), key: raw.sys_id };
              }
            } catch {
              // quarantined by the mapping
            }
          }
        }
        if (fresh.length > 0) {
          for (const item of items) if (item.ok) delete (item.input.sourcePayload as Payload | undefined)?.__coveredAssets;
          yield { items, watermark: last, rows: fresh.length };
        }
        if (rows.length < pageSize && !next) return;
        // A page of rows all read before (one second holding more rows than a page): walk on by offset.
        offset = fresh.length === 0 ? offset + rows.length : 0;
        if (fresh.length === 0 && rows.length === 0) return;
      }
    },
  });

  // Record-at-a-time mapping (event-driven ingest): the feeds' mappings. A contract's covered
  // assets come in `__coveredAssets` (sys_ids), as the feed adds them from clm_m2m_contract_asset.
  const specOf = new Map(specs.map((s) => [s.table, s]));
  const tables = specs.map((s) => s.table);
  const keyField = (table: string) => (table === 'sys_audit_delete' ? 'documentkey' : specOf.has(table) ? 'sys_id' : undefined);
  const mapObject = (table: string, payload: Payload): MappedItem => {
    const spec = specOf.get(table);
    if (!spec) return unknownObject('ServiceNow', table, tables, null);
    const item = mapSafely(payload, spec.entityOf(payload), keyField(table)!, (p) => spec.map(p) ?? {});
    if (item.ok && Object.keys(item.input).length === 0) {
      return { ok: false, entity: null, sourceId: null, reason: `a deletion of table ${JSON.stringify(payload.tablename ?? null)} is not mapped (known: ${Object.keys(TABLE_ENTITY).join(', ')})`, excerpt: '' };
    }
    return item;
  };

  return { source, kind: 'servicenow', feeds: specs.map(feed), objects: tables, keyField, mapObject };
}
