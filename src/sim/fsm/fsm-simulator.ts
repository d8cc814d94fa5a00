/**
 * A local ServiceNow-style Table API over the synthetic world's field-service records:
 * `/api/now/table/<table>` with `sysparm_query` (encoded queries, `sys_updated_on>=` deltas,
 * `ORDERBY`), `sysparm_fields` (with dot-walking such as `model.model_number`),
 * `sysparm_limit`/`sysparm_offset`, `sysparm_exclude_reference_link`, `sysparm_no_count`,
 * `X-Total-Count` and `Link` headers, string values and reference objects `{link, value}`, and
 * Basic authentication. Tables: core_company (organizations), csm_consumer (persons),
 * cmn_location, alm_asset, cmdb_ci and cmdb_model (derived from the assets), ast_contract,
 * clm_m2m_contract_asset (covered assets) and sys_audit_delete (deleted rows: the tables drop them).
 *
 * @example
 * ```ts
 * const fsm = await startFsmSimulator({ records, auth: { username: 'mdm.integration', password: 'secret' } });
 * // GET {fsm.url}/api/now/table/alm_asset?sysparm_query=sys_updated_on>=2025-11-01 00:00:00^ORDERBYsys_updated_on&sysparm_limit=500
 * ```
 */
import type { EntityType } from '../../core/entities';
import {
  basicAuthOk,
  FaultInjector,
  hexId,
  type SimClock,
  type SimRecord,
  type SimRequest,
  type SimResponse,
  type SimRow,
  SimStore,
  type Simulator,
  startSimServer,
} from '../index';
import { encodedLowerBound, type EncodedQuery, matchesEncodedQuery, parseEncodedQuery } from './encoded-query';

export interface FsmSimulatorOptions {
  records?: Iterable<SimRecord>;
  source?: string;
  auth: { username: string; password: string };
  /** Largest `sysparm_limit` honoured (ServiceNow's default limit is 10000). */
  maxLimit?: number;
  clock?: SimClock;
  /** Keep each row's rendered JSON for the next read (default true; false for a system read once, see `RowJsonCache`). */
  cacheResponses?: boolean;
}

export interface FsmSimulator extends Simulator {}

/** `YYYY-MM-DD HH:mm:ss` in UTC, as the Table API returns datetimes with `sysparm_display_value=false`. */
export function snDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Canonical asset status words and ServiceNow `install_status` choice values. */
export const INSTALL_STATUS: Record<string, string> = {
  'In use': '1', 'On order': '2', 'In maintenance': '3', 'In stock': '6', Retired: '7', Missing: '8', 'In transit': '9',
};

type Ref = { table: string; id: string } | null;
type Flat = Record<string, string | Ref>;

interface Table {
  name: string;
  entity?: EntityType;
  filter?: (r: SimRecord) => boolean;
  render: (row: SimRow) => Flat;
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

function sys(row: SimRow, className: string): Flat {
  return {
    sys_id: row.id,
    sys_class_name: className,
    sys_created_on: snDateTime(Math.min(row.changedAt, Date.parse('2022-01-01T00:00:00Z'))),
    sys_created_by: 'admin',
    sys_updated_on: snDateTime(row.changedAt),
    sys_updated_by: 'integration',
    sys_mod_count: String(row.version),
    sys_tags: '',
  };
}

function street(r: SimRecord): string {
  return [str(r.street), str(r.houseNumber)].filter(Boolean).join(' ');
}

/** Starts the simulator on a loopback port. */
export async function startFsmSimulator(options: FsmSimulatorOptions): Promise<FsmSimulator> {
  const source = options.source ?? 'fsm';
  const store = new SimStore(options.clock);
  const records = options.records ?? [];
  store.load((function* () {
    for (const r of records) if (r.source === source) yield r;
  })());
  // ServiceNow drops deleted rows from the table; the audit table remembers them.
  for (const entity of ['customer', 'location', 'asset', 'contract'] as const) {
    for (const row of [...store.rows(entity)]) if (row.record.deleted === true) store.hardDelete(entity, row.id, row.changedAt);
  }
  const faults = new FaultInjector();
  const jsonCache = new WeakMap<Flat, Map<string, string>>();
  const cacheResponses = options.cacheResponses ?? true;
  const maxLimit = options.maxLimit ?? 10_000;

  const customerRef = (id: unknown): Ref => {
    if (!id) return null;
    const row = store.get('customer', String(id));
    return { table: row?.record.kind === 'person' ? 'csm_consumer' : 'core_company', id: String(id) };
  };
  const ref = (table: string, id: unknown): Ref => (id ? { table, id: String(id) } : null);

  const tables: Table[] = [
    {
      name: 'core_company', entity: 'customer', filter: (r) => r.kind !== 'person',
      render: (row) => {
        const r = row.record;
        return {
          ...sys(row, 'customer_account'),
          number: `ACCT${row.id.slice(0, 7)}`, name: str(r.name), customer: 'true', vendor: 'false', manufacturer: 'false', partner: 'false',
          street: street(r), city: str(r.city), state: str(r.region), zip: str(r.postalCode), country: str(r.country),
          phone: str(r.phone), fax_phone: '', website: str(r.website), parent: customerRef(r.parentRef), account_parent: '',
          latitude: '', longitude: '', u_vat_number: str(r.taxId), u_duns: str(r.duns), u_email: str(r.email),
        };
      },
    },
    {
      name: 'csm_consumer', entity: 'customer', filter: (r) => r.kind === 'person',
      render: (row) => {
        const r = row.record;
        return {
          ...sys(row, 'csm_consumer'),
          name: str(r.name), first_name: str(r.givenName), last_name: str(r.familyName), email: str(r.email), phone: str(r.phone), mobile_phone: '',
          street: street(r), city: str(r.city), state: str(r.region), zip: str(r.postalCode), country: str(r.country),
          u_date_of_birth: str(r.dateOfBirth), u_national_id: str(r.nationalId), u_vat_number: str(r.taxId),
        };
      },
    },
    {
      name: 'cmn_location', entity: 'location',
      render: (row) => {
        const r = row.record;
        return {
          ...sys(row, 'cmn_location'),
          name: str(r.name), full_name: `${str(r.country)}/${str(r.city)}/${str(r.name)}`, street: street(r), city: str(r.city),
          state: str(r.region), zip: str(r.postalCode), country: str(r.country), latitude: str(r.latitude), longitude: str(r.longitude),
          company: customerRef(r.customerRef), parent: '', time_zone: '', u_gln: str(r.gln),
        };
      },
    },
    {
      name: 'alm_asset', entity: 'asset',
      render: (row) => {
        const r = row.record;
        const status = str(r.status);
        return {
          ...sys(row, 'alm_hardware'),
          asset_tag: `P${row.id.slice(0, 7).toUpperCase()}`, display_name: `P${row.id.slice(0, 7).toUpperCase()} - ${str(r.partNumber)}`,
          serial_number: str(r.serialNumber), model: r.partNumber ? ref('cmdb_model', hexId(`model:${str(r.partNumber)}`)) : null,
          ci: ref('cmdb_ci', hexId(`ci:${row.id}`)), company: customerRef(r.customerRef), location: ref('cmn_location', r.locationRef),
          install_status: status === '' ? '' : (INSTALL_STATUS[status] ?? status), substatus: '',
          install_date: r.installDate ? `${str(r.installDate)} 00:00:00` : '',
          'model.model_number': str(r.partNumber), 'model.name': str(r.partNumber), 'ci.name': str(r.name),
        };
      },
    },
    {
      name: 'cmdb_ci', entity: 'asset',
      render: (row) => {
        const r = row.record;
        return {
          ...sys(row, 'cmdb_ci'), sys_id: hexId(`ci:${row.id}`), name: str(r.name), serial_number: str(r.serialNumber),
          asset: ref('alm_asset', row.id), company: customerRef(r.customerRef), location: ref('cmn_location', r.locationRef),
          model_number: str(r.partNumber), install_status: INSTALL_STATUS[str(r.status)] ?? '',
        };
      },
    },
    {
      name: 'ast_contract', entity: 'contract',
      render: (row) => {
        const r = row.record;
        return {
          ...sys(row, 'ast_contract'),
          number: str(r.contractNumber), short_description: `${str(r.serviceLevel)} service ${str(r.contractNumber)}`.trim(),
          starts: str(r.startDate), ends: str(r.endDate), state: str(r.status), active: r.status === 'active' ? 'true' : 'false',
          renewable: 'false', vendor: '', vendor_contract: '', account: customerRef(r.customerRef), u_service_level: str(r.serviceLevel),
        };
      },
    },
  ];

  const base = (req: SimRequest) => `http://${req.headers.host ?? '127.0.0.1'}`;
  const toJson = (flat: Flat, req: SimRequest, fields: string[] | null, noLinks: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const keys = fields ?? Object.keys(flat).filter((k) => !k.includes('.'));
    for (const k of keys) {
      if (!(k in flat)) {
        if (fields) out[k] = '';
        continue;
      }
      const v = flat[k];
      if (v === null) out[k] = '';
      else if (typeof v === 'string') out[k] = v;
      else out[k] = noLinks ? v.id : { link: `${base(req)}/api/now/table/${v.table}/${v.id}`, value: v.id };
    }
    return out;
  };
  const value = (flat: Flat, field: string): string | undefined => {
    if (!(field in flat)) return undefined;
    const v = flat[field];
    return v === null ? '' : typeof v === 'string' ? v : v.id;
  };

  /** Rows of a table in (sys_updated_on, sys_id) order. */
  const listCache = new Map<string, { src: readonly SimRow[]; list: Array<{ stamp: string; flat: () => Flat }> }>();
  const rowsOf = (table: string): Array<{ stamp: string; flat: () => Flat }> | undefined => {
    const entity = tables.find((x) => x.name === table)?.entity ?? (table === 'clm_m2m_contract_asset' ? 'contract' : undefined);
    if (!entity) return buildRows(table);
    const src = store.rows(entity);
    const hit = listCache.get(table);
    if (hit && hit.src === src) return hit.list;
    const list = buildRows(table)!;
    listCache.set(table, { src, list });
    return list;
  };
  const buildRows = (table: string): Array<{ stamp: string; flat: () => Flat }> | undefined => {
    const t = tables.find((x) => x.name === table);
    if (t) {
      const list: Array<{ stamp: string; flat: () => Flat }> = [];
      for (const row of store.rows(t.entity!)) {
        if (t.filter && !t.filter(row.record)) continue;
        let cached: Flat | undefined;
        list.push({
          stamp: snDateTime(row.changedAt),
          flat: () => {
            if (!cached) {
              cached = t.render(row);
              if (row.corrupt) Object.assign(cached, row.corrupt as Flat);
            }
            return cached;
          },
        });
      }
      return list;
    }
    if (table === 'clm_m2m_contract_asset') {
      const list: Array<{ stamp: string; flat: () => Flat }> = [];
      for (const row of store.rows('contract')) {
        const assets = Array.isArray(row.record.assetRefs) ? (row.record.assetRefs as string[]) : [];
        assets.forEach((a, i) => {
          const flat: Flat = {
            ...sys(row, 'clm_m2m_contract_asset'), sys_id: hexId(`m2m:${row.id}:${a}`), contract: ref('ast_contract', row.id),
            asset: ref('alm_asset', a), added: str(row.record.startDate), u_order: String(i),
          };
          list.push({ stamp: flat.sys_updated_on as string, flat: () => flat });
        });
      }
      return list;
    }
    if (table === 'cmdb_model') {
      const seen = new Map<string, Flat>();
      for (const row of store.rows('asset')) {
        const pn = str(row.record.partNumber);
        if (pn === '') continue;
        seen.set(pn, { ...sys(row, 'cmdb_hardware_product_model'), sys_id: hexId(`model:${pn}`), name: pn, display_name: pn, model_number: pn, manufacturer: '' });
      }
      return [...seen.values()].sort((a, b) => String(a.sys_updated_on).localeCompare(String(b.sys_updated_on))).map((flat) => ({ stamp: flat.sys_updated_on as string, flat: () => flat }));
    }
    if (table === 'sys_audit_delete') {
      return [...store.tombstones]
        .sort((a, b) => a.deletedAt - b.deletedAt)
        .map((t) => {
          const tablename = t.entity === 'customer' ? (t.record.kind === 'person' ? 'csm_consumer' : 'core_company') : t.entity === 'location' ? 'cmn_location' : t.entity === 'asset' ? 'alm_asset' : 'ast_contract';
          const stamp = snDateTime(t.deletedAt);
          const flat: Flat = {
            sys_id: hexId(`del:${tablename}:${t.id}`), tablename, documentkey: t.id, display_value: str(t.record.name ?? t.record.contractNumber),
            sys_created_on: stamp, sys_created_by: 'admin', sys_updated_on: stamp, sys_mod_count: '0', sys_class_name: 'sys_audit_delete',
          };
          return { stamp, flat: () => flat };
        });
    }
    return undefined;
  };

  const handle = (req: SimRequest): SimResponse => {
    if (!basicAuthOk(req, options.auth.username, options.auth.password)) {
      return { status: 401, body: { error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' } };
    }
    const m = /^\/api\/now\/(?:v[12]\/)?table\/([a-z0-9_]+)$/.exec(req.url.pathname);
    if (!m || req.method !== 'GET') return { status: 400, body: { error: { message: 'Invalid request', detail: req.url.pathname }, status: 'failure' } };
    const list = rowsOf(m[1]);
    if (!list) return { status: 400, body: { error: { message: 'Invalid table', detail: m[1] }, status: 'failure' } };
    const p = req.url.searchParams;
    let query: EncodedQuery;
    try {
      query = parseEncodedQuery(p.get('sysparm_query') ?? '');
    } catch (error) {
      return { status: 400, body: { error: { message: (error as Error).message, detail: '' }, status: 'failure' } };
    }
    const limit = Math.min(maxLimit, Number(p.get('sysparm_limit') ?? 10_000) || 10_000);
    const offset = Number(p.get('sysparm_offset') ?? 0) || 0;
    const fields = p.get('sysparm_fields') ? p.get('sysparm_fields')!.split(',').map((f) => f.trim()) : null;
    const noLinks = p.get('sysparm_exclude_reference_link') === 'true';
    const noCount = p.get('sysparm_no_count') === 'true';

    const stampField = m[1] === 'sys_audit_delete' ? 'sys_created_on' : 'sys_updated_on';
    const order = query.orderBy;
    const natural = order.length === 0 || (order[0].field === stampField && !order[0].desc && order.slice(1).every((o) => o.field === 'sys_id' && !o.desc));
    let rows = list;
    if (!natural) {
      rows = [...list].sort((a, b) => {
        for (const o of order) {
          const x = value(a.flat(), o.field) ?? '';
          const y = value(b.flat(), o.field) ?? '';
          if (x === y) continue;
          return (x < y ? -1 : 1) * (o.desc ? -1 : 1);
        }
        return 0;
      });
    }
    let start = 0;
    const bound = natural ? encodedLowerBound(query, stampField) : '';
    if (bound) {
      let lo = 0;
      let hi = rows.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (rows[mid].stamp < bound) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const page: Flat[] = [];
    let matched = 0;
    let more = false;
    for (let i = start; i < rows.length; i++) {
      const flat = rows[i].flat();
      if (!matchesEncodedQuery(query, (f) => value(flat, f))) continue;
      if (matched >= offset && page.length < limit) page.push(flat);
      matched++;
      if (noCount && matched > offset + limit) {
        more = true;
        break;
      }
    }
    if (!noCount) more = matched > offset + limit;
    if (page.length === 0 && p.get('sysparm_v1_empty') === '404') return { status: 404, body: { error: { message: 'No Record found', detail: '' }, status: 'failure' } };
    const headers: Record<string, string> = {};
    const link = (o: number) => {
      const u = new URLSearchParams(p);
      u.set('sysparm_offset', String(Math.max(0, o)));
      u.set('sysparm_limit', String(limit));
      return `<${base(req)}${req.url.pathname}?${u.toString()}>`;
    };
    const links = [`${link(0)};rel="first"`];
    if (offset > 0) links.push(`${link(offset - limit)};rel="prev"`);
    if (more) links.push(`${link(offset + limit)};rel="next"`);
    if (!noCount) {
      headers['x-total-count'] = String(matched);
      links.push(`${link(Math.max(0, Math.floor((matched - 1) / limit) * limit))};rel="last"`);
    }
    if (more || offset > 0) headers.link = links.join(',');
    const variant = `${base(req)}|${p.get('sysparm_fields') ?? ''}|${noLinks}`;
    const parts = page.map((flat) => {
      if (!cacheResponses) return JSON.stringify(toJson(flat, req, fields, noLinks));
      let byVariant = jsonCache.get(flat);
      if (!byVariant) jsonCache.set(flat, (byVariant = new Map()));
      let text = byVariant.get(variant);
      if (text === undefined) byVariant.set(variant, (text = JSON.stringify(toJson(flat, req, fields, noLinks))));
      return text;
    });
    return { status: 200, body: null, text: `{"result":[${parts.join(',')}]}`, headers };
  };

  const server = await startSimServer(handle, faults);
  return {
    url: server.url,
    store,
    faults,
    requests: server.requests,
    update: (entity, id, patch, opts) => void store.update(entity, id, patch, opts),
    remove: (entity, id, at) => void store.hardDelete(entity, id, at),
    insert: (record, at) => void store.insert({ ...record, source }, at),
    close: () => server.close(),
  };
}
