/**
 * Shared kit of the local source-system simulators (`src/sim/erp`, `src/sim/crm`, `src/sim/fsm`):
 * an in-memory store of canonical world records with change timestamps and mutations, a small
 * loopback HTTP server, and injected faults (slow responses, 429 with Retry-After, 5xx,
 * dropped connections). Each simulator renders the stored canonical records in its system's API
 * shape: the inverse of the matching ingest adapter's mapping.
 *
 * @example
 * ```ts
 * import { startErpSimulator } from './sim/erp/erp-simulator';
 * const erp = await startErpSimulator({ records: worldRecords, auth: { username: 'u', password: 'p' } });
 * erp.update('customer', '1000000', { city: 'Stuttgart' }); // a delta sync now sees it
 * erp.faults.add({ status: 429, retryAfter: 1 });           // the next request is throttled
 * await erp.close();
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EntityType } from '../core/entities';

/** A canonical record as the simulators hold it (the world generator's `WorldRecord` shape). */
export interface SimRecord {
  entity: EntityType;
  source: string;
  sourceId: string;
  updatedAt?: string;
  deleted?: boolean;
  [attribute: string]: unknown;
}

/** One stored record with its change stamp (ms since epoch, whole seconds unless the clock says otherwise). */
export interface SimRow {
  readonly id: string;
  record: SimRecord;
  /** When the record last changed (drives `updatedAt`-style fields and delta filters). */
  changedAt: number;
  /** When the system last touched the record (Salesforce `SystemModstamp`); >= changedAt. */
  systemAt: number;
  /** Bumped on every change; lets simulators cache rendered payloads. */
  version: number;
  /** Raw field overrides applied on top of the rendered payload (bad payloads for tests). */
  corrupt?: Record<string, unknown>;
}

/** Current time of a simulator, ms since epoch. */
export type SimClock = () => number;

/** A clock that reads wall time truncated to whole seconds (as SAP and ServiceNow stamp changes). */
export const secondClock: SimClock = () => Math.floor(Date.now() / 1000) * 1000;

/**
 * The records one simulated system holds, per entity type, with change stamps and mutations.
 * `rows(entity)` is ordered by (changedAt, id), the order every delta read uses.
 */
export class SimStore {
  private readonly tables = new Map<EntityType, Map<string, SimRow>>();
  private readonly sorted = new Map<EntityType, SimRow[]>();
  private readonly bySystem = new Map<EntityType, SimRow[]>();
  /** Hard-deleted records (ServiceNow style), in deletion order. */
  readonly tombstones: Array<{ entity: EntityType; id: string; record: SimRecord; deletedAt: number }> = [];

  constructor(readonly clock: SimClock = secondClock) {}

  /** Loads records (any source field is ignored); `updatedAt` becomes the change stamp. */
  load(records: Iterable<SimRecord>): void {
    for (const record of records) {
      const at = record.updatedAt ? Date.parse(record.updatedAt) : this.clock();
      this.put({ id: record.sourceId, record: { ...record }, changedAt: at, systemAt: at, version: 1 });
    }
  }

  private table(entity: EntityType): Map<string, SimRow> {
    let t = this.tables.get(entity);
    if (!t) this.tables.set(entity, (t = new Map()));
    return t;
  }

  private put(row: SimRow): void {
    this.table(row.record.entity).set(row.id, row);
    this.sorted.delete(row.record.entity);
    this.bySystem.delete(row.record.entity);
  }

  get(entity: EntityType, id: string): SimRow | undefined {
    return this.tables.get(entity)?.get(id);
  }

  count(entity: EntityType): number {
    return this.tables.get(entity)?.size ?? 0;
  }

  /** Rows ordered by (changedAt, id). */
  rows(entity: EntityType): readonly SimRow[] {
    let list = this.sorted.get(entity);
    if (!list) {
      list = [...(this.tables.get(entity)?.values() ?? [])];
      list.sort((a, b) => a.changedAt - b.changedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      this.sorted.set(entity, list);
    }
    return list;
  }

  /** Rows ordered by (systemAt, id). */
  rowsBySystemStamp(entity: EntityType): readonly SimRow[] {
    let list = this.bySystem.get(entity);
    if (!list) {
      list = [...(this.tables.get(entity)?.values() ?? [])];
      list.sort((a, b) => a.systemAt - b.systemAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      this.bySystem.set(entity, list);
    }
    return list;
  }

  private stamp(at?: number): number {
    return at ?? this.clock();
  }

  /** Changes attributes of a record (a value of `undefined` removes the attribute). */
  update(entity: EntityType, id: string, patch: Record<string, unknown>, options: { at?: number; systemOnly?: boolean } = {}): SimRow {
    const row = this.get(entity, id);
    if (!row) throw new Error(`simulator has no ${entity} ${id}`);
    const at = this.stamp(options.at);
    const record = { ...row.record };
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) delete record[k];
      else record[k] = v;
    }
    const next: SimRow = {
      id,
      record,
      changedAt: options.systemOnly ? row.changedAt : at,
      systemAt: at,
      version: row.version + 1,
      corrupt: row.corrupt,
    };
    if (!options.systemOnly) record.updatedAt = new Date(at).toISOString();
    this.put(next);
    return next;
  }

  /** Adds a new record stamped now (or at `at`). */
  insert(record: SimRecord, at?: number): SimRow {
    const stamp = this.stamp(at);
    const row: SimRow = { id: record.sourceId, record: { ...record, updatedAt: new Date(stamp).toISOString() }, changedAt: stamp, systemAt: stamp, version: 1 };
    this.put(row);
    return row;
  }

  /** Flags a record deleted (SAP flags, Salesforce recycle bin): it stays readable. */
  markDeleted(entity: EntityType, id: string, at?: number): SimRow {
    return this.update(entity, id, { deleted: true }, { at });
  }

  /** Removes a record and keeps a tombstone (ServiceNow: rows vanish, `sys_audit_delete` remembers). */
  hardDelete(entity: EntityType, id: string, at?: number): void {
    const row = this.get(entity, id);
    if (!row) throw new Error(`simulator has no ${entity} ${id}`);
    this.table(entity).delete(id);
    this.sorted.delete(entity);
    this.bySystem.delete(entity);
    this.tombstones.push({ entity, id, record: row.record, deletedAt: this.stamp(at) });
  }

  /** Overrides raw fields of the rendered payload of one record (a bad payload for tests). */
  corrupt(entity: EntityType, id: string, fields: Record<string, unknown>): void {
    const row = this.get(entity, id);
    if (!row) throw new Error(`simulator has no ${entity} ${id}`);
    row.corrupt = { ...row.corrupt, ...fields };
    row.version++;
    this.sorted.delete(entity);
    this.bySystem.delete(entity);
  }
}

/** A fault the next matching request(s) meet. */
export interface Fault {
  /** Only requests whose path+query matches (default: every request). */
  match?: RegExp;
  /** How many requests it hits (default 1). */
  times?: number;
  /** Answer with this status (429, 500, 503, ...) and a small error body. */
  status?: number;
  /** `Retry-After` header value (seconds, or an HTTP date) with the status. */
  retryAfter?: number | string;
  /** Wait this long before answering normally (a slow page). */
  delayMs?: number;
  /** Destroy the socket before answering. */
  drop?: boolean;
  /** Send the headers and part of the body, then destroy the socket. */
  dropMidBody?: boolean;
}

/** Faults queued for a simulator; each request consumes the first one that matches. */
export class FaultInjector {
  private readonly queue: Array<Required<Pick<Fault, 'times'>> & Fault> = [];
  /** How many requests met a fault. */
  hits = 0;

  add(...faults: Fault[]): void {
    for (const f of faults) this.queue.push({ ...f, times: f.times ?? 1 });
  }

  clear(): void {
    this.queue.length = 0;
  }

  get pending(): number {
    return this.queue.reduce((n, f) => n + f.times, 0);
  }

  take(pathAndQuery: string): Fault | undefined {
    const i = this.queue.findIndex((f) => !f.match || f.match.test(pathAndQuery));
    if (i < 0) return undefined;
    const f = this.queue[i];
    f.times--;
    if (f.times <= 0) this.queue.splice(i, 1);
    this.hits++;
    return f;
  }
}

/** What a simulator's route handler returns. */
export interface SimResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Serialize the body with `\/` escaped slashes (SAP Gateway's `\/Date(...)\/`). */
  escapeSlashes?: boolean;
  /** A body already serialized (JSON text); `body` is ignored. */
  text?: string;
}

/**
 * Caches one JSON text per row and variant (a query's field list, `$expand`, ...): simulators
 * assemble responses from these, so a 100k-record pull measures the hub, not the simulator. A
 * changed row is a new row object or a bumped `version`, either of which misses the cache.
 * Disabled (`enabled` false), every read renders again: a system read once (a full sync of a
 * large world) then holds no rendered copy of its records (a 1M-record world's ERP kept 2.4 GB of
 * them, which V8 marked again and again once the process went idle).
 */
export class RowJsonCache {
  private readonly variants = new Map<string, WeakMap<SimRow, { version: number; text: string }>>();
  constructor(private readonly enabled = true) {}
  get(row: SimRow, variant: string, build: () => string): string {
    return this.variant(variant)(row, build);
  }
  /** The lookup of one variant (resolve it once per response, then call it per row). */
  variant(variant: string): (row: SimRow, build: () => string) => string {
    if (!this.enabled) return (_row, build) => build();
    let cache = this.variants.get(variant);
    if (!cache) {
      if (this.variants.size >= 64) this.variants.clear();
      this.variants.set(variant, (cache = new WeakMap()));
    }
    const rows = cache;
    return (row, build) => {
      const hit = rows.get(row);
      if (hit !== undefined && hit.version === row.version) return hit.text;
      const text = build();
      rows.set(row, { version: row.version, text });
      return text;
    };
  }
}

export interface SimRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}

/** One request a simulator answered (for assertions in tests). */
export interface SimRequestLog {
  method: string;
  path: string;
  status: number;
  /** Whether an Authorization header was present (its value is never kept). */
  authorized: boolean;
}

export interface SimHttpServer {
  readonly url: string;
  readonly requests: SimRequestLog[];
  close(): Promise<void>;
}

function errorBody(status: number): unknown {
  return { error: { code: String(status), message: status === 429 ? 'Too many requests' : 'Internal server error' } };
}

/**
 * Starts a loopback HTTP server on an ephemeral port that applies queued faults and then the
 * handler. Bodies are JSON.
 */
export async function startSimServer(
  handler: (req: SimRequest) => SimResponse | Promise<SimResponse>,
  faults: FaultInjector,
): Promise<SimHttpServer> {
  const requests: SimRequestLog[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const log: SimRequestLog = { method: req.method ?? 'GET', path: url.pathname, status: 0, authorized: !!req.headers.authorization };
        requests.push(log);
        const fault = faults.take(url.pathname + url.search);
        if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
        if (fault?.drop) {
          log.status = -1;
          req.socket.destroy();
          return;
        }
        if (fault?.status) {
          log.status = fault.status;
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
          res.writeHead(fault.status, headers).end(JSON.stringify(errorBody(fault.status)));
          return;
        }
        let out: SimResponse;
        try {
          out = await handler({ method: req.method ?? 'GET', url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        } catch (error) {
          out = { status: 500, body: { error: { message: (error as Error).message } } };
        }
        log.status = out.status;
        let text = out.text ?? (out.body === undefined ? '' : JSON.stringify(out.body));
        if (out.escapeSlashes && out.text === undefined) text = text.replace(/\//g, '\\/');
        const payload = Buffer.from(text, 'utf8');
        res.writeHead(out.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(payload.length), ...out.headers });
        if (fault?.dropMidBody) {
          res.write(payload.subarray(0, Math.max(1, Math.floor(payload.length / 2))), () => req.socket.destroy());
          return;
        }
        res.end(payload);
      })();
    });
  });
  // Long enough that a client's idle keep-alive socket is not closed under it while the machine is
  // busy (a close racing a reused socket shows as ECONNRESET at the client).
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Checks `Authorization: Basic` against the expected user and password. */
export function basicAuthOk(req: SimRequest, username: string, password: string): boolean {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  return Buffer.from(header.slice(6), 'base64').toString('utf8') === `${username}:${password}`;
}

/** Deterministic 32-hex id derived from a string (references to derived records). */
export function hexId(seed: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  let out = '';
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < seed.length; i++) {
      h1 = Math.imul(h1 ^ seed.charCodeAt(i), 16777619);
      h2 = Math.imul(h2 ^ (seed.charCodeAt(i) + round), 2246822519);
    }
    out += ((h1 ^ h2) >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}

/** A common simulator surface: base URL, store, faults, request log and mutations. */
export interface Simulator {
  readonly url: string;
  readonly store: SimStore;
  readonly faults: FaultInjector;
  readonly requests: SimRequestLog[];
  /** Changes a record (its change stamp moves to now). */
  update(entity: EntityType, sourceId: string, patch: Record<string, unknown>, options?: { at?: number; systemOnly?: boolean }): void;
  /** Deletes a record the way the system does (flag, recycle bin or hard delete). */
  remove(entity: EntityType, sourceId: string, at?: number): void;
  /** Adds a record. */
  insert(record: SimRecord, at?: number): void;
  close(): Promise<void>;
}

/**
 * Compares two query values the way the simulated APIs' filters do: numbers numerically, booleans by
 * equality only, everything else in binary string order; null equals only null.
 *
 * @example
 * ```ts
 * compareQueryValues('a', 'b') // -1
 * compareQueryValues(null, 3)  // null (not comparable)
 * ```
 */
export function compareQueryValues(a: string | number | boolean | null, b: string | number | boolean | null): number | null {
  if (a === null || b === null) return a === b ? 0 : null;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b ? 0 : null;
  // Binary order, as the simulators sort ids (18-character Salesforce ids compare the same either way).
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
