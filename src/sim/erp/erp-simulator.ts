/**
 * A local SAP S/4HANA-style OData v2 server over the synthetic world's ERP records:
 * `API_BUSINESS_PARTNER/A_BusinessPartner`, `API_PRODUCT_SRV/A_Product`, `API_EQUIPMENT/Equipment`
 * and `API_SERVICE_CONTRACT_SRV/A_ServiceContract`, with `d.results`, `$filter`, `$orderby`,
 * `$top`/`$skip`, server-driven paging (`__next` with `$skiptoken`), `$expand` (others come back
 * `__deferred`), `$inlinecount`, `\/Date(ms)\/` values and Basic authentication.
 *
 * @example
 * ```ts
 * const erp = await startErpSimulator({ records, auth: { username: 'MDM', password: 'secret' }, serverPageSize: 500 });
 * // GET {erp.url}/sap/opu/odata/sap/API_PRODUCT_SRV/A_Product?$top=2&$expand=to_Description
 * ```
 */
import type { EntityType } from '../../core/entities';
import {
  basicAuthOk,
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
import { evaluateFilter, type FilterNode, lowerBound, type ODataValue, parseEdmDate, parseEdmTime, parseODataFilter } from './odata-filter';
import { localDateTime, renderBusinessPartner, renderEquipment, renderProduct, renderServiceContract } from './sap-render';

export interface ErpSimulatorOptions {
  /** Canonical records; only those of `source` (default `erp`) are served. */
  records?: Iterable<SimRecord>;
  source?: string;
  auth: { username: string; password: string };
  /** Rows per response when the client asks for more or sets no `$top` (0 = no server paging). */
  serverPageSize?: number;
  /** Offset of the system time zone in minutes (BP `LastChangeDate`/`LastChangeTime` are local). */
  timeZoneOffsetMinutes?: number;
  clock?: SimClock;
  /** Keep each row's rendered JSON for the next read (default true; false for a system read once, see `RowJsonCache`). */
  cacheResponses?: boolean;
}

interface EntitySet {
  service: string;
  set: string;
  entities: EntityType[];
  key: string;
  /** The property the rows are ordered by for delta reads and how a bound on it maps to `changedAt`. */
  stampField: string;
  stampToChangedAt: (value: number) => number;
  /** `$orderby` values that match the natural (changedAt, key) order. */
  natural: string[];
  render: (row: SimRow, base: string) => Record<string, unknown>;
  fast: (row: SimRow, field: string) => ODataValue | undefined;
}

export interface ErpSimulator extends Simulator {}

function sapError(status: number, code: string, message: string): SimResponse {
  return {
    status,
    body: { error: { code, message: { lang: 'en', value: message }, innererror: { transactionid: '0', timestamp: '', errordetails: [] } } },
  };
}

function parseExpand(text: string | null): Map<string, unknown> {
  const tree = new Map<string, unknown>();
  for (const path of (text ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    let node = tree;
    for (const part of path.split('/')) {
      let child = node.get(part) as Map<string, unknown> | undefined;
      if (!child) node.set(part, (child = new Map()));
      node = child;
    }
  }
  return tree;
}

function prune(entity: Record<string, unknown>, tree: Map<string, unknown>, uri: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entity)) {
    if (!k.startsWith('to_')) out[k] = v;
    else if (!tree.has(k)) out[k] = { __deferred: { uri: `${uri}/${k}` } };
    else {
      const sub = tree.get(k) as Map<string, unknown>;
      const results = (v as { results: Record<string, unknown>[] }).results;
      out[k] = {
        results: results.map((item) => prune(item, sub, ((item.__metadata as { uri?: string } | undefined)?.uri ?? `${uri}/${k}`))),
      };
    }
  }
  return out;
}

function toValue(v: unknown): ODataValue {
  if (typeof v === 'string') {
    if (v.startsWith('/Date(')) return parseEdmDate(v) ?? v;
    if (v.startsWith('PT')) return parseEdmTime(v) ?? v;
    return v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  return null;
}

/** Starts the simulator on a loopback port. */
export async function startErpSimulator(options: ErpSimulatorOptions): Promise<ErpSimulator> {
  const source = options.source ?? 'erp';
  const store = new SimStore(options.clock);
  const records = options.records ?? [];
  store.load((function* () {
    for (const r of records) if (r.source === source) yield r;
  })());
  const faults = new FaultInjector();
  const offset = options.timeZoneOffsetMinutes ?? 0;
  const pageCap = options.serverPageSize ?? 0;

  const sets: EntitySet[] = [
    {
      service: 'API_BUSINESS_PARTNER', set: 'A_BusinessPartner', entities: ['customer'], key: 'BusinessPartner',
      stampField: 'LastChangeDate', stampToChangedAt: (v) => v - offset * 60_000,
      natural: ['LastChangeDate', 'LastChangeTime', 'BusinessPartner'],
      render: (row, base) => renderBusinessPartner(row, base, offset),
      fast: (row, f) => {
        if (f === 'BusinessPartner') return row.id;
        if (f === 'LastChangeDate') return localDateTime(row.changedAt, offset).dateMs;
        if (f === 'LastChangeTime') return localDateTime(row.changedAt, offset).timeMs;
        return undefined;
      },
    },
    {
      service: 'API_PRODUCT_SRV', set: 'A_Product', entities: ['product'], key: 'Product',
      stampField: 'LastChangeDateTime', stampToChangedAt: (v) => v, natural: ['LastChangeDateTime', 'Product'],
      render: renderProduct,
      fast: (row, f) => (f === 'Product' ? row.id : f === 'LastChangeDateTime' ? row.changedAt : undefined),
    },
    {
      service: 'API_EQUIPMENT', set: 'Equipment', entities: ['serial', 'asset'], key: 'Equipment',
      stampField: 'LastChangeDateTime', stampToChangedAt: (v) => v, natural: ['LastChangeDateTime', 'Equipment'],
      render: renderEquipment,
      fast: (row, f) => (f === 'Equipment' ? row.id : f === 'LastChangeDateTime' ? row.changedAt : undefined),
    },
    {
      service: 'API_SERVICE_CONTRACT_SRV', set: 'A_ServiceContract', entities: ['contract'], key: 'ServiceContract',
      stampField: 'ServiceDocChangedDateTime', stampToChangedAt: (v) => v, natural: ['ServiceDocChangedDateTime', 'ServiceContract'],
      render: renderServiceContract,
      fast: (row, f) => (f === 'ServiceContract' ? row.id : f === 'ServiceDocChangedDateTime' ? row.changedAt : undefined),
    },
  ];

  const jsonCache = new RowJsonCache(options.cacheResponses ?? true);
  const merged = new Map<string, { parts: readonly SimRow[][]; rows: SimRow[] }>();
  const rowsOf = (set: EntitySet): readonly SimRow[] => {
    if (set.entities.length === 1) return store.rows(set.entities[0]);
    const parts = set.entities.map((e) => store.rows(e) as SimRow[]);
    const cached = merged.get(set.set);
    if (cached && cached.parts.every((p, i) => p === parts[i])) return cached.rows;
    const rows = parts.flat().sort((a, b) => a.changedAt - b.changedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    merged.set(set.set, { parts, rows });
    return rows;
  };

  const handle = (req: SimRequest): SimResponse => {
    if (!basicAuthOk(req, options.auth.username, options.auth.password)) {
      return { ...sapError(401, '/IWFND/CM_CONSUMER/401', 'Logon failed'), headers: { 'www-authenticate': 'Basic realm="SAP NetWeaver Application Server"' } };
    }
    if (req.method !== 'GET') return sapError(405, '/IWBEP/CM_MGW_RT/405', 'Only reads are simulated');
    const m = /^\/sap\/opu\/odata\/sap\/([A-Z_]+)\/([A-Za-z_]+)$/.exec(req.url.pathname);
    const set = m && sets.find((s) => s.service === m[1] && s.set === m[2]);
    if (!set) return sapError(404, '/IWBEP/CM_MGW_RT/020', `Resource not found for segment '${req.url.pathname}'`);
    const q = req.url.searchParams;
    const base = `http://${req.headers.host ?? '127.0.0.1'}`;

    let filter: FilterNode | undefined;
    try {
      const text = q.get('$filter');
      if (text) filter = parseODataFilter(text);
    } catch (error) {
      return sapError(400, '/IWBEP/CM_MGW_RT/004', `Invalid filter: ${(error as Error).message}`);
    }
    const orderby = (q.get('$orderby') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const naturalOrder = orderby.length === 0 || orderby.every((f, i) => f === set.natural[i] || f === `${set.natural[i]} asc`);
    const top = q.has('$top') ? Number(q.get('$top')) : undefined;
    const skip = Number(q.get('$skip') ?? 0) + Number(q.get('$skiptoken') ?? 0);
    if ((top !== undefined && !(top >= 0)) || !(skip >= 0)) return sapError(400, '/IWBEP/CM_MGW_RT/004', 'Invalid $top or $skip');

    let rows = rowsOf(set);
    const rendered = new Map<SimRow, Record<string, unknown>>();
    const render = (row: SimRow) => {
      let e = rendered.get(row);
      if (!e) {
        e = set.render(row, base);
        if (row.corrupt) Object.assign(e, row.corrupt);
        rendered.set(row, e);
      }
      return e;
    };
    const get = (row: SimRow) => (field: string): ODataValue => {
      if (!row.corrupt || !(field in row.corrupt)) {
        const fast = set.fast(row, field);
        if (fast !== undefined) return fast;
      }
      return toValue(render(row)[field]);
    };
    let start = 0;
    if (!naturalOrder) {
      const keys = orderby.map((o) => {
        const [field, dir] = o.split(/\s+/);
        return { field, desc: dir === 'desc' };
      });
      rows = [...rows].sort((a, b) => {
        for (const k of keys) {
          const x = get(a)(k.field);
          const y = get(b)(k.field);
          if (x === y) continue;
          const c = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
          return k.desc ? -c : c;
        }
        return 0;
      });
    } else if (filter) {
      const bound = lowerBound(filter, set.stampField);
      if (bound > -Infinity) {
        const target = set.stampToChangedAt(bound);
        let lo = 0;
        let hi = rows.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (rows[mid].changedAt < target) lo = mid + 1;
          else hi = mid;
        }
        start = lo;
      }
    }

    const limit = Math.min(top ?? Number.POSITIVE_INFINITY, pageCap > 0 ? pageCap : Number.POSITIVE_INFINITY);
    const page: SimRow[] = [];
    let skipped = 0;
    let more = false;
    for (let i = start; i < rows.length; i++) {
      const row = rows[i];
      if (filter && !evaluateFilter(filter, get(row))) continue;
      if (skipped < skip) {
        skipped++;
        continue;
      }
      if (page.length >= limit) {
        more = true;
        break;
      }
      page.push(row);
    }
    const tree = parseExpand(q.get('$expand'));
    const variant = `${base}|${q.get('$expand') ?? ''}`;
    const escape = (text: string) => text.replace(/\//g, '\\/');
    const cached = jsonCache.variant(variant);
    const results = page.map((row) =>
      cached(row, () => {
        const e = render(row);
        return escape(JSON.stringify(prune(e, tree, (e.__metadata as { uri: string }).uri)));
      }),
    );
    let head = '';
    if (q.get('$inlinecount') === 'allpages') {
      let count = 0;
      for (const row of rows) if (!filter || evaluateFilter(filter, get(row))) count++;
      head = `"__count":"${count}",`;
    }
    let tail = '';
    const cut = more && (top === undefined || top > page.length);
    if (cut) {
      const next = new URLSearchParams(q);
      next.delete('$skip');
      next.set('$skiptoken', String(skip + page.length));
      if (top !== undefined) next.set('$top', String(top - page.length));
      tail = `,"__next":${escape(JSON.stringify(`${base}${req.url.pathname}?${next.toString().replace(/%24/g, '$')}`))}`;
    }
    return { status: 200, body: null, text: `{"d":{${head}"results":[${results.join(',')}]${tail}}}` };
  };

  const server = await startSimServer(handle, faults);
  return {
    url: server.url,
    store,
    faults,
    requests: server.requests,
    update: (entity, id, patch, opts) => void store.update(entity, id, patch, opts),
    remove: (entity, id, at) => void store.markDeleted(entity, id, at),
    insert: (record, at) => void store.insert({ ...record, source }, at),
    close: () => server.close(),
  };
}
