import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { sql } from 'kysely';
import { createApiKey } from '../../../src/auth/api-key.service';
import { revokeApiKey } from '../../../src/auth/api-key.repository';
import type { Database } from '../../../src/db/database';
import { resolve } from '../../../src/golden-record/resolve.service';
import { createApp } from '../../../src/http/app';
import { ingestFile } from '../../../src/ingest/file-ingest.service';
import { processInboxBatch } from '../../../src/realtime/inbox-worker';
import { Rng } from '../../../src/sim/world/random';
import { AUTH_CLIENT_PREFIX, authCases } from './auth.cases';
import { csvFile, type FileCase, jsonlFile } from './file.cases';
import { graphqlCases, ROLE_SCOPES, ROOT_SCOPES } from './graphql.cases';
import { RecordPool } from './records';
import { shrink } from './shrink';
import type { CaseGenerator, Expectation, Failure, FuzzContext, HttpCase, HttpRequestSpec, Target } from './types';
import { webhookCases } from './webhook.cases';

/**
 * The fuzz run: a fresh hub (seeded with a small resolved world and one key per role), then
 * `cases` hostile inputs against the file ingest, the webhooks, the GraphQL endpoint and the
 * authentication of every protected surface, each checked against the invariants of
 * docs/security.md; then an integrity check of the database. Deterministic by seed: case `n` is
 * drawn from its own random stream `(seed, n)`, and the failed-auth limiter runs on a clock that
 * advances with the cases, not with the wall.
 */

export interface FuzzOptions {
  database: Database;
  /** Total cases: HTTP requests plus file lines. */
  cases: number;
  seed: number;
  /** Records of the world seeded before the run (default 400). */
  worldSize?: number;
  /** Inbox events the worker processes after the run, as a check that accepted events resolve (default 1000). */
  drainEvents?: number;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Runs only this HTTP case (after the seeding) and logs its request and answer: to reproduce a failure. */
  only?: number;
}

export interface TargetStats {
  cases: number;
  statuses: Record<string, number>;
  kinds: Record<string, number>;
  failures: number;
  ms: number;
  slowest: Array<{ kind: string; caseNo: number; ms: number }>;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  seconds: number;
  database: string;
  targets: Record<Target, TargetStats>;
  failures: Failure[];
  files: { files: number; lines: number; stored: number; quarantined: number };
  inbox: { accepted: number; duplicates: number; rejected: number; stored: number; drained: number; drainFailures: number };
  integrity: { tables: number; problems: string[] };
  rateLimited: number;
}

/** Share of the cases per target. */
const SHARES: Record<Target, number> = { webhook: 0.42, graphql: 0.38, auth: 0.08, file: 0.12 };

/** Tables whose rows nothing in the run may delete. */
const GROW_ONLY = [
  'source_record', 'source_record_history', 'ingest_run', 'quarantine', 'golden_record', 'golden_redirect', 'golden_history',
  'api_key', 'steward_audit', 'steward_decision', 'inbox_event', 'outbox', 'match_model', 'resolve_run', 'xref_move',
];

/** The address minimization re-sends inputs from (its refusals must not count against the case's address). */
const SHRINK_CLIENT = '10.99.0.1';
const CRASH_LIKE = new Set(['5xx', 'internal-error', 'no-error-code', 'exception', 'timeout']);
const REQUEST_TIMEOUT_MS = 60_000;

interface Problem {
  category: string;
  detail: string;
}

interface Sent {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
  ms: number;
}

function emptyStats(): TargetStats {
  return { cases: 0, statuses: {}, kinds: {}, failures: 0, ms: 0, slowest: [] };
}

function short(text: string, max = 600): string {
  const clean = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return clean.length > max ? `${clean.slice(0, max)}... (${text.length} characters)` : clean;
}

function describeRequest(r: HttpRequestSpec): string {
  const body = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : `<${r.body.length} bytes: ${Buffer.from(r.body).toString('latin1')}>`;
  const headers = Object.entries(r.headers)
    .filter(([k]) => k !== 'authorization' && k !== 'x-hub-signature-256')
    .map(([k, v]) => `${k}: ${v.length > 80 ? `${v.slice(0, 80)}...` : v}`);
  const auth = r.headers.authorization ? ' [authorization]' : r.headers['x-hub-signature-256'] ? ' [signed]' : '';
  return `${r.method} ${r.path.length > 200 ? `${r.path.slice(0, 200)}...` : r.path}${auth} {${headers.join('; ')}} ${body}`;
}

/** Sends one request in-process, as from `client`. */
async function send(app: Hono, spec: HttpRequestSpec): Promise<Sent> {
  const started = performance.now();
  const env = { incoming: { socket: { remoteAddress: spec.client } } };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)), REQUEST_TIMEOUT_MS);
  });
  try {
    const res = await Promise.race([app.request(spec.path, { method: spec.method, headers: spec.headers, body: spec.body as BodyInit | undefined }, env), timeout]);
    const text = await Promise.race([res.text(), timeout]);
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `{ error: { code, message } }` with both non-empty. */
function hasHubError(json: unknown): boolean {
  if (!isObject(json) || !isObject(json.error)) return false;
  const { code, message } = json.error;
  return typeof code === 'string' && code !== '' && typeof message === 'string' && message.trim() !== '';
}

/** GraphQL `errors` each with a message and `extensions.code`; the internal ones are reported. */
function graphqlErrorProblems(json: unknown): Problem[] | null {
  if (!isObject(json) || !Array.isArray(json.errors)) return null;
  const problems: Problem[] = [];
  for (const e of json.errors as unknown[]) {
    if (!isObject(e) || typeof e.message !== 'string' || e.message.trim() === '') problems.push({ category: 'no-error-code', detail: `a GraphQL error without a message: ${short(JSON.stringify(e), 200)}` });
    else if (!isObject(e.extensions) || typeof e.extensions.code !== 'string') problems.push({ category: 'no-error-code', detail: `GraphQL error without extensions.code: ${short(e.message, 200)}` });
    else if (e.extensions.code === 'INTERNAL_SERVER_ERROR') problems.push({ category: 'internal-error', detail: `INTERNAL_SERVER_ERROR at ${JSON.stringify(e.path ?? null)}: ${short(e.message, 200)}` });
  }
  return problems;
}

/** The path as the router sees it (dot segments resolved). */
function routedPath(path: string): string {
  try {
    return new URL(path, 'http://localhost').pathname;
  } catch {
    return path;
  }
}

/** The checks every answer must pass, whatever the request. */
function generalProblems(c: HttpCase, r: Sent): Problem[] {
  const problems: Problem[] = [];
  const graphqlPath = routedPath(c.request.path).startsWith('/graphql');
  if (r.status >= 500 && !(r.status === 503 && hasHubError(r.json))) problems.push({ category: '5xx', detail: `status ${r.status}: ${short(r.text, 300)}` });
  if (r.status === 429) {
    if (!r.headers.get('retry-after')) problems.push({ category: 'overload-format', detail: '429 without Retry-After' });
    if (!hasHubError(r.json)) problems.push({ category: 'no-error-code', detail: `429 without {error:{code,message}}: ${short(r.text, 200)}` });
    if (isObject(r.json) && isObject(r.json.error) && r.json.error.code === 'TOO_MANY_AUTH_FAILURES' && !c.request.client.startsWith(AUTH_CLIENT_PREFIX) && c.request.client !== SHRINK_CLIENT) {
      problems.push({ category: 'rate-limit', detail: `an address that never failed to authenticate was rate limited (${c.request.client})` });
    }
  } else if (r.status >= 400 && r.status < 500 && c.request.method !== 'HEAD') {
    const graphqlErrors = graphqlPath && isObject(r.json) && Array.isArray(r.json.errors) && r.json.errors.length > 0;
    if (!hasHubError(r.json) && !graphqlErrors) problems.push({ category: 'no-error-code', detail: `${r.status} without {error:{code,message}}: ${short(r.text, 200)}` });
  }
  const gql = graphqlPath ? graphqlErrorProblems(r.json) : null;
  if (gql) problems.push(...gql);
  return problems;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const { database, seed } = options;
  const log = options.log ?? (() => undefined);
  const db = database.db;
  const dir = mkdtempSync(join(tmpdir(), 'mdm-fuzz-'));
  const savedEnv = { secret: process.env.MDM_WEBHOOK_SECRET_FSM, backlog: process.env.MDM_INBOX_MAX_BACKLOG };
  const fsmSecret = `fuzz-secret-${seed}`;
  process.env.MDM_WEBHOOK_SECRET_FSM = fsmSecret;
  // The run stores every accepted event in the inbox and processes only a sample: the backlog
  // bound (429 OVERLOADED) would otherwise end the webhook part early.
  process.env.MDM_INBOX_MAX_BACKLOG = String(10 * options.cases + 1000);

  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);

  try {
    // --- the seeded hub
    const pool = new RecordPool(seed, options.worldSize ?? 400);
    const seedFile = join(dir, 'world.jsonl');
    writeFileSync(seedFile, pool.records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    await ingestFile(database, { file: seedFile });
    await resolve(database);
    const key = async (role: string) => (await createApiKey(db, { role, name: `fuzz ${role}` })).key;
    const revoked = await createApiKey(db, { role: 'ingest:erp', name: 'fuzz revoked' });
    await revokeApiKey(db, revoked.row.id);
    const ctx: FuzzContext = {
      keys: {
        reader: await key('reader'),
        steward: await key('steward'),
        admin: await key('admin'),
        ingest: { erp: await key('ingest:erp'), crm: await key('ingest:crm'), fsm: await key('ingest:fsm') },
        revoked: revoked.key,
      },
      fsmSecret,
      goldenIds: (await sql<{ id: string }>`SELECT id FROM golden_record ORDER BY id LIMIT 300`.execute(db)).rows.map((r) => r.id),
      recordIds: (await sql<{ id: string }>`SELECT id::text AS id FROM source_record ORDER BY id LIMIT 300`.execute(db)).rows.map((r) => r.id),
      pairIds: (await sql<{ id: string }>`SELECT id::text AS id FROM match_pair ORDER BY id LIMIT 300`.execute(db)).rows.map((r) => r.id),
      serials: (await sql<{ s: string }>`SELECT attributes->>'serialNumber' AS s FROM source_record WHERE attributes ? 'serialNumber' LIMIT 200`.execute(db)).rows.map((r) => r.s),
      sourceIds: (await sql<{ entity: string; source: string; source_id: string }>`SELECT entity, source, source_id FROM source_record ORDER BY id LIMIT 300`.execute(db)).rows.map((r) => ({ entity: r.entity, source: r.source, sourceId: r.source_id })),
    };
    const before = await snapshot(database);
    log(`seeded: ${pool.records.length} records, ${ctx.goldenIds.length}+ golden records, ${before.tables.length} tables`);

    // The failed-auth limiter runs on the run's own clock: 10 ms per case.
    let clock = 0;
    const app = createApp({ database, authFailures: { now: () => clock } });

    const targets: Record<Target, TargetStats> = { webhook: emptyStats(), graphql: emptyStats(), auth: emptyStats(), file: emptyStats() };
    const failures = new Map<string, Failure>();
    const addFailure = (f: Omit<Failure, 'count'>, category: string) => {
      const signature = `${f.target}|${f.kind}|${category}|${f.problem.replace(/\d+/g, 'N').slice(0, 120)}`;
      const existing = failures.get(signature);
      if (existing) existing.count++;
      else failures.set(signature, { ...f, count: 1 });
      targets[f.target].failures++;
    };

    const fileLines = Math.round(options.cases * SHARES.file);
    const httpCases = options.cases - fileLines;
    const inbox = { accepted: 0, duplicates: 0, rejected: 0, stored: 0, drained: 0, drainFailures: 0 };
    let quarantinedByWebhooks = 0;
    // Rows written by re-running inputs while minimizing them: not part of the run's accounting.
    const extra = { inbox: 0, quarantine: 0 };
    let rateLimited = 0;
    const enumerationBodies = new Map<string, string>();

    // --- file ingest
    const files = { files: 0, lines: 0, stored: 0, quarantined: 0 };
    {
      const stats = targets.file;
      let fileNo = 0;
      while (files.lines < fileLines && options.only === undefined) {
        const rng = new Rng(seed, 2, fileNo);
        const size = Math.min(fileLines - files.lines, rng.range(30, 400));
        const fc = rng.chance(0.6) ? jsonlFile(rng, pool, fileNo, size) : csvFile(rng, pool, fileNo, size);
        const lines = Math.max(1, fc.lines.length);
        const t0 = performance.now();
        const outcome = await runFileCase(database, dir, fc, fileNo);
        const ms = performance.now() - t0;
        stats.cases += lines;
        stats.ms += ms;
        stats.kinds[fc.kind] = (stats.kinds[fc.kind] ?? 0) + lines;
        stats.statuses[outcome.threw ? 'threw' : 'ok'] = (stats.statuses[outcome.threw ? 'threw' : 'ok'] ?? 0) + 1;
        recordSlow(stats, fc.kind, fileNo, ms);
        files.files++;
        files.lines += lines;
        files.stored += outcome.stored;
        files.quarantined += outcome.quarantined;
        for (const p of outcome.problems) {
          let input = p.input ?? '';
          if (p.category === 'exception') {
            const mark = await extraRows(database);
            input = await minimizeFile(database, dir, fc, fileNo);
            await mark.add(extra);
          }
          addFailure({ target: 'file', kind: fc.kind, caseNo: fileNo, problem: `${p.category}: ${p.detail}`, input: short(input) }, p.category);
        }
        fileNo++;
        if (fileNo % 20 === 0) log(`file: ${files.files} files, ${files.lines} lines`);
      }
    }

    // --- HTTP: webhooks, GraphQL, authentication
    const wh = webhookCases(pool);
    const gq = graphqlCases();
    const au = authCases();
    const generators: Record<Exclude<Target, 'file'>, Array<[number, string, CaseGenerator]>> = {
      webhook: [
        [22, 'records', wh.recordsJson], [10, 'ndjson', wh.recordsNdjson], [22, 'batch', wh.eventsBatch], [12, 'structured', wh.eventStructured],
        [10, 'binary', wh.eventBinary], [12, 'broken', wh.brokenBody], [5, 'content-type', wh.wrongContentType], [1, 'oversized', wh.oversized], [6, 'path', (rng, c) => wh.oddPath(rng, c)],
      ],
      graphql: [[80, 'schema', (rng, c) => gq.schemaOperation(rng, c)], [8, 'attack', (rng, c) => gq.attack(rng, c)], [12, 'malformed', (rng, c) => gq.malformed(rng, c)]],
      auth: [[85, 'credentials', (rng, c) => au.credentials(rng, c)], [15, 'routing', (rng, c) => au.routing(rng, c)]],
    };
    const httpShare = SHARES.webhook + SHARES.graphql + SHARES.auth;
    const pickWeighted = <T>(rng: Rng, list: Array<[number, string, T]>): T => {
      const total = list.reduce((s, [w]) => s + w, 0);
      let x = rng.float() * total;
      for (const [w, , g] of list) if ((x -= w) < 0) return g;
      return list[list.length - 1][2];
    };

    for (let n = options.only ?? 0; n < (options.only === undefined ? httpCases : options.only + 1); n++) {
      clock += 10;
      const rng = new Rng(seed, 1, n);
      const u = rng.float() * httpShare;
      const target: Exclude<Target, 'file'> = u < SHARES.webhook ? 'webhook' : u < SHARES.webhook + SHARES.graphql ? 'graphql' : 'auth';
      const c = pickWeighted(rng, generators[target])(rng, ctx, n);
      const stats = targets[c.target];
      stats.cases++;
      stats.kinds[c.kind] = (stats.kinds[c.kind] ?? 0) + 1;
      const unhandledBefore = unhandled.length;
      let sent: Sent | undefined;
      let problems: Problem[];
      try {
        sent = await send(app, c.request);
        problems = generalProblems(c, sent);
        problems.push(...(await expectationProblems(database, c, sent, enumerationBodies, inbox)));
      } catch (error) {
        problems = [{ category: (error as Error).message.startsWith('no answer within') ? 'timeout' : 'exception', detail: `${(error as Error).name}: ${(error as Error).message}` }];
      }
      if (options.only !== undefined) log(`${describeRequest(c.request)}\n=> ${sent?.status} ${sent?.text.slice(0, 5000)}`);
      // Give rejections of this request's promises a turn to surface.
      await new Promise((r) => setImmediate(r));
      for (const reason of unhandled.slice(unhandledBefore)) problems.push({ category: 'exception', detail: `unhandled rejection: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}` });
      if (sent) {
        const label = String(sent.status);
        stats.statuses[label] = (stats.statuses[label] ?? 0) + 1;
        stats.ms += sent.ms;
        recordSlow(stats, c.kind, n, sent.ms);
        if (sent.status === 429 && isObject(sent.json) && isObject(sent.json.error) && sent.json.error.code === 'TOO_MANY_AUTH_FAILURES') rateLimited++;
        if (c.request.path.startsWith('/ingest/') && isObject(sent.json) && Array.isArray(sent.json.rejected) && (sent.status === 202 || sent.status === 400)) quarantinedByWebhooks += sent.json.rejected.length;
      }
      for (const p of problems) {
        let input = describeRequest(c.request);
        if (CRASH_LIKE.has(p.category) && c.shrink && !failures.has(`${c.target}|${c.kind}|${p.category}|${`${p.category}: ${p.detail}`.replace(/\d+/g, 'N').slice(0, 120)}`)) {
          const shrinkable = c.shrink;
          const mark = await extraRows(database);
          const small = await shrink(shrinkable.value, async (candidate) => {
            try {
              const again = await send(app, { ...shrinkable.render(candidate), client: SHRINK_CLIENT });
              return generalProblems(c, again).some((q) => q.category === p.category);
            } catch {
              return p.category === 'exception' || p.category === 'timeout';
            }
          }, 150);
          await mark.add(extra);
          input = describeRequest(shrinkable.render(small));
        }
        addFailure({ target: c.target, kind: c.kind, caseNo: n, problem: `${p.category}: ${p.detail}`, input: short(input) }, p.category);
      }
      if ((n + 1) % 2000 === 0) log(`http: ${n + 1}/${httpCases} cases, ${[...failures.values()].reduce((s, f) => s + f.count, 0)} failures`);
    }

    // What the webhooks stored, before the worker adds events of its own (re-resolution).
    const inboxBeforeDrain = await countOf(database, 'inbox_event');

    // --- a sample of the accepted events through the inbox worker
    const drainBudget = options.drainEvents ?? 1000;
    for (let processed = 0; processed < drainBudget; ) {
      const batch = await processInboxBatch(database, { batchSize: Math.min(100, drainBudget - processed), retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
      if (batch.claimed === 0) break;
      processed += batch.claimed;
      inbox.drained += batch.claimed;
    }
    const failedEvents = (
      await sql<{ id: string; source: string; event_id: string; last_error: string }>`
        SELECT id::text, source, event_id, last_error FROM inbox_event WHERE last_error IS NOT NULL ORDER BY id LIMIT 200`.execute(db)
    ).rows;
    inbox.drainFailures = failedEvents.length;
    for (const e of failedEvents) {
      const payload = (await sql<{ payload: unknown }>`SELECT payload FROM inbox_event WHERE id = ${e.id}::bigint`.execute(db)).rows[0]?.payload;
      addFailure({ target: 'webhook', kind: 'inbox-worker', caseNo: -1, problem: `exception: an accepted event failed in the worker: ${short(e.last_error, 300)}`, input: short(JSON.stringify(payload)) }, 'exception');
    }

    // --- integrity: SQL injection changed nothing it should not have
    const after = await snapshot(database);
    const problems: string[] = [];
    const missing = before.tables.filter((t) => !after.tables.includes(t));
    if (missing.length > 0) problems.push(`tables gone: ${missing.join(', ')}`);
    for (const t of GROW_ONLY) {
      if ((after.counts[t] ?? 0) < (before.counts[t] ?? 0)) problems.push(`${t} shrank from ${before.counts[t]} to ${after.counts[t]} rows`);
    }
    if (after.apiKeys !== before.apiKeys) problems.push('api_key rows changed (id, prefix, role, hash or revocation)');
    if (after.seededRecords !== before.seededRecords) problems.push('the seeded source records changed');
    inbox.stored = inboxBeforeDrain - (before.counts.inbox_event ?? 0) - extra.inbox;
    if (inbox.stored !== inbox.accepted) problems.push(`the webhooks answered ${inbox.accepted} events accepted, the inbox holds ${inbox.stored}`);
    const quarantined = (after.counts.quarantine ?? 0) - (before.counts.quarantine ?? 0) - extra.quarantine;
    if (quarantined !== quarantinedByWebhooks + files.quarantined) {
      problems.push(`quarantine grew by ${quarantined}, the answers listed ${quarantinedByWebhooks} rejected events and the file runs ${files.quarantined} quarantined lines`);
    }
    if (unhandled.length > 0) problems.push(`${unhandled.length} unhandled promise rejections`);
    for (const p of problems) addFailure({ target: 'webhook', kind: 'integrity', caseNo: -1, problem: `integrity: ${p}`, input: '' }, 'integrity');

    return {
      seed,
      cases: httpCases + files.lines,
      seconds: (performance.now() - started) / 1000,
      database: database.kind,
      targets,
      failures: [...failures.values()],
      files,
      inbox,
      integrity: { tables: after.tables.length, problems },
      rateLimited,
    };
  } finally {
    process.off('unhandledRejection', onUnhandled);
    for (const [name, value] of [['MDM_WEBHOOK_SECRET_FSM', savedEnv.secret], ['MDM_INBOX_MAX_BACKLOG', savedEnv.backlog]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

function recordSlow(stats: TargetStats, kind: string, caseNo: number, ms: number): void {
  stats.slowest.push({ kind, caseNo, ms });
  stats.slowest.sort((a, b) => b.ms - a.ms);
  if (stats.slowest.length > 3) stats.slowest.length = 3;
}

const countOf = async (database: Database, table: 'inbox_event' | 'quarantine') => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(database.db)).rows[0].n);

/** Counts rows of the inbox and the quarantine now; `add` adds what was written since to `extra`. */
async function extraRows(database: Database) {
  const inbox = await countOf(database, 'inbox_event');
  const quarantine = await countOf(database, 'quarantine');
  return {
    async add(extra: { inbox: number; quarantine: number }) {
      extra.inbox += (await countOf(database, 'inbox_event')) - inbox;
      extra.quarantine += (await countOf(database, 'quarantine')) - quarantine;
    },
  };
}

interface Snapshot {
  tables: string[];
  counts: Record<string, number>;
  apiKeys: string;
  seededRecords: string;
}

async function snapshot(database: Database): Promise<Snapshot> {
  const db = database.db;
  const tables = (await sql<{ t: string }>`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`.execute(db)).rows.map((r) => r.t);
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(t)}`.execute(db)).rows[0].n);
  const apiKeys = (await sql<{ h: string | null }>`SELECT md5(string_agg(id || ':' || prefix || ':' || role || ':' || secret_hash || ':' || coalesce(revoked_at::text, ''), ',' ORDER BY id)) AS h FROM api_key`.execute(db)).rows[0].h ?? '';
  const seededRecords = (await sql<{ h: string | null }>`SELECT md5(string_agg(id || ':' || content_hash, ',' ORDER BY id)) AS h FROM source_record WHERE first_run_id = (SELECT min(id) FROM ingest_run)`.execute(db)).rows[0].h ?? '';
  return { tables, counts, apiKeys, seededRecords };
}

/** The checks of a request's expectation (statuses, lists, the inbox, the role matrix). */
async function expectationProblems(database: Database, c: HttpCase, r: Sent, enumeration: Map<string, string>, inbox: { accepted: number; duplicates: number; rejected: number }): Promise<Problem[]> {
  const e: Expectation = c.expect;
  const problems: Problem[] = [];
  if (e.type === 'status') {
    if (!e.statuses.includes(r.status)) problems.push({ category: 'status', detail: `status ${r.status}, expected ${e.statuses.join(' or ')}: ${short(r.text, 200)}` });
    else if (e.code && r.status !== 429 && !(isObject(r.json) && isObject(r.json.error) && r.json.error.code === e.code)) problems.push({ category: 'status', detail: `expected code ${e.code}: ${short(r.text, 200)}` });
    if (e.sameBodyAs && r.status === 401) {
      const first = enumeration.get(e.sameBodyAs);
      if (first === undefined) enumeration.set(e.sameBodyAs, r.text);
      else if (first !== r.text) problems.push({ category: 'enumeration', detail: `refusals differ by kind of key (${c.kind}): ${short(r.text, 200)} vs ${short(first, 200)}` });
    }
    countWebhookAnswer(c, r, inbox);
    return problems;
  }
  if (e.type === 'graphql') {
    if (r.status !== 200 || !isObject(r.json) || !isObject(r.json.data)) return problems;
    const data = r.json.data;
    const scopes = ROLE_SCOPES[e.role as keyof typeof ROLE_SCOPES];
    for (const f of e.fields) {
      const needs = ROOT_SCOPES[f.field];
      if (!needs || scopes.includes(needs)) continue;
      const value = data[f.alias];
      if (value === null || value === undefined) continue;
      if (f.operation === 'mutation' && isObject(value) && value.__typename === 'Forbidden') continue;
      problems.push({ category: 'role', detail: `${e.role} key got ${f.field} (needs ${needs}): ${short(JSON.stringify(value), 200)}` });
    }
    return problems;
  }
  if (e.type !== 'webhook') {
    countWebhookAnswer(c, r, inbox);
    return problems;
  }

  // Webhook batch: every item accounted for, valid ones stored, invalid ones listed.
  const bodyBytes = typeof c.request.body === 'string' ? Buffer.byteLength(c.request.body) : (c.request.body?.length ?? 0);
  if (r.status === 413 && (bodyBytes > 5 * 1024 * 1024 || e.items.length > 1000)) return problems;
  if (r.status === 429) return problems;
  const json = r.json;
  const listed = r.status === 202 || (r.status === 400 && isObject(json) && isObject(json.error) && json.error.code === 'INVALID_EVENTS');
  if (!listed) {
    const valid = e.items.filter((i) => i.verdict === 'valid');
    if (valid.length > 0 || r.status >= 500) {
      problems.push({ category: 'lost-valid', detail: `status ${r.status} for a request with ${valid.length} valid items (${valid.slice(0, 3).map((i) => i.mutations.join('+') || 'unmutated').join(', ')}): ${short(r.text, 300)}` });
    }
    return problems;
  }
  if (!isObject(json) || !Array.isArray(json.rejected) || !Array.isArray(json.events) || typeof json.accepted !== 'number' || typeof json.duplicates !== 'number') {
    problems.push({ category: 'answer-format', detail: `answer without accepted/duplicates/rejected/events: ${short(r.text, 200)}` });
    return problems;
  }
  inbox.accepted += json.accepted;
  inbox.duplicates += json.duplicates;
  inbox.rejected += json.rejected.length;
  const rejected = new Map<number, Json>();
  for (const x of json.rejected as Json[]) {
    if (rejected.has(Number(x.index))) problems.push({ category: 'unlisted', detail: `index ${x.index} rejected twice` });
    rejected.set(Number(x.index), x);
    if (typeof x.reason !== 'string' || x.reason.trim() === '') problems.push({ category: 'imprecise', detail: `rejection without a reason: ${short(JSON.stringify(x), 200)}` });
    else if (x.reason.length > 2000) problems.push({ category: 'imprecise', detail: `rejection reason of ${x.reason.length} characters` });
  }
  const accepted = new Map<number, Json>();
  for (const x of json.events as Json[]) accepted.set(Number(x.index), x);
  for (const item of e.items) {
    const inEvents = accepted.has(item.index);
    const inRejected = rejected.has(item.index);
    if (inEvents === inRejected) {
      problems.push({ category: 'unlisted', detail: `item ${item.index} (${item.mutations.join('+') || 'unmutated'}) is ${inEvents ? 'both accepted and rejected' : 'neither accepted nor rejected'}` });
    } else if (item.verdict === 'valid' && !inEvents) {
      problems.push({ category: 'lost-valid', detail: `valid item ${item.index} (${item.mutations.join('+') || 'unmutated'}) rejected: ${short(String(rejected.get(item.index)?.reason), 300)}` });
    } else if (item.verdict === 'invalid' && !inRejected) {
      problems.push({ category: 'accepted-invalid', detail: `invalid item ${item.index} (${item.mutations.join('+')}) accepted` });
    }
  }
  if (accepted.size + rejected.size !== e.items.length) problems.push({ category: 'unlisted', detail: `${e.items.length} items, ${accepted.size} accepted + ${rejected.size} rejected` });

  // The valid items are in the inbox, found by their own keys (not by what the answer says).
  const valid = e.items.filter((i) => i.verdict === 'valid' && accepted.has(i.index));
  if (valid.length > 0) {
    const keyed = valid.filter((i) => typeof (e.endpoint === 'events' ? i.eventId : i.sourceId) === 'string');
    const ids = keyed.map((i) => (e.endpoint === 'events' ? i.eventId : i.sourceId) as string);
    const column = e.endpoint === 'events' ? sql.ref('event_id') : sql.ref('source_id');
    // Positions, not the values: PGlite drops a leading U+FEFF from text it returns.
    const found = new Set(
      (
        await sql<{ i: string }>`SELECT t.i FROM unnest(${ids}::text[]) WITH ORDINALITY AS t(k, i)
          WHERE EXISTS (SELECT 1 FROM inbox_event WHERE source = ${e.source} AND ${column} = t.k)`.execute(database.db)
      ).rows.map((x) => Number(x.i) - 1),
    );
    keyed.forEach((item, k) => {
      if (!found.has(k)) problems.push({ category: 'lost-valid', detail: `valid item ${item.index} (${item.mutations.join('+') || 'unmutated'}) answered accepted but not in the inbox: ${short(JSON.stringify(ids[k]), 100)}` });
    });
  }
  return problems;
}

/** Counts the events of answers not checked item by item (so the inbox total can be compared). */
function countWebhookAnswer(c: HttpCase, r: Sent, inbox: { accepted: number; duplicates: number; rejected: number }): void {
  if (!c.request.path.startsWith('/ingest/') || !isObject(r.json)) return;
  if (typeof r.json.accepted === 'number') inbox.accepted += r.json.accepted;
  if (typeof r.json.duplicates === 'number') inbox.duplicates += r.json.duplicates;
  if (Array.isArray(r.json.rejected)) inbox.rejected += r.json.rejected.length;
}

interface FileOutcome {
  threw: boolean;
  stored: number;
  quarantined: number;
  problems: Array<Problem & { input?: string }>;
}

async function runFileCase(database: Database, dir: string, fc: FileCase, fileNo: number, linesOverride?: Buffer): Promise<FileOutcome> {
  const file = join(dir, `case-${fileNo}.${fc.format === 'csv' ? 'csv' : 'jsonl'}`);
  writeFileSync(file, linesOverride ?? fc.content);
  const problems: FileOutcome['problems'] = [];
  let result;
  try {
    result = await ingestFile(database, { file, format: fc.format, entity: fc.options.entity, source: fc.options.source, mapping: fc.options.mapping });
  } catch (error) {
    return { threw: true, stored: 0, quarantined: 0, problems: [{ category: 'exception', detail: `ingest threw ${(error as Error).name}: ${short((error as Error).message, 300)}` }] };
  }
  if (linesOverride) return { threw: false, stored: 0, quarantined: 0, problems };
  const stored = result.inserted + result.updated + result.unchanged + result.stale + result.deleted;
  if (fc.expectedRead !== null && result.read !== fc.expectedRead) problems.push({ category: 'lost-line', detail: `${fc.expectedRead} lines written, ${result.read} read` });
  if (stored + result.quarantined !== result.read) problems.push({ category: 'lost-line', detail: `${result.read} read, ${stored} stored + ${result.quarantined} quarantined` });

  const db = database.db;
  const quarantine = (await sql<{ line: number | null; reason: string }>`SELECT line, reason FROM quarantine WHERE run_id = ${result.runId}::bigint`.execute(db)).rows;
  if (quarantine.length !== result.quarantined) problems.push({ category: 'lost-line', detail: `${result.quarantined} quarantined by count, ${quarantine.length} in the quarantine` });
  const quarantinedLines = new Map<number, string>();
  for (const q of quarantine) {
    if (!q.reason || !/^line \d+: ./.test(q.reason)) problems.push({ category: 'imprecise', detail: `quarantine reason without line and cause: ${short(q.reason ?? 'null', 200)}` });
    if (q.line !== null) quarantinedLines.set(Number(q.line), q.reason);
  }
  const records = new Map(
    // The source id as JSON text: PGlite drops a leading U+FEFF from text it returns.
    (await sql<{ entity: string; source: string; sid: string; raw: unknown }>`SELECT entity, source, to_json(source_id)::text AS sid, raw FROM source_record WHERE first_run_id = ${result.runId}::bigint`.execute(db)).rows.map((r) => [
      `${r.entity}|${r.source}|${JSON.parse(r.sid)}`,
      r.raw,
    ]),
  );
  for (const l of fc.lines) {
    if (l.line === null) continue;
    const q = quarantinedLines.get(l.line);
    if (l.verdict === 'valid') {
      const raw = records.get(`${l.entity}|${fc.options.source ?? fc.options.mapping?.constants?.source ?? l.source}|${l.sourceId}`);
      if (q !== undefined) problems.push({ category: 'lost-valid', detail: `valid line ${l.line} (${l.mutations.join('+') || 'unmutated'}) quarantined: ${short(q, 300)}`, input: l.text });
      else if (raw === undefined) problems.push({ category: 'lost-valid', detail: `valid line ${l.line} (${l.mutations.join('+') || 'unmutated'}) not stored`, input: l.text });
      else if (l.raw !== undefined && JSON.stringify(raw) !== JSON.stringify(l.raw)) problems.push({ category: 'altered', detail: `line ${l.line} stored differently from what was sent`, input: `sent ${short(JSON.stringify(l.raw), 250)} stored ${short(JSON.stringify(raw), 250)}` });
    } else if (l.verdict === 'invalid' && q === undefined) {
      problems.push({ category: 'accepted-invalid', detail: `invalid line ${l.line} (${l.mutations.join('+')}) not quarantined`, input: l.text });
    }
  }
  return { threw: false, stored, quarantined: result.quarantined, problems };
}

/** The smallest set of a failing file's lines that still makes the ingest throw (header kept for CSV). */
async function minimizeFile(database: Database, dir: string, fc: FileCase, fileNo: number): Promise<string> {
  const all = fc.content.toString('utf8').split('\n');
  const header = fc.format === 'csv' ? [all[0]] : [];
  const body = fc.format === 'csv' ? all.slice(1) : all;
  const fails = async (lines: unknown) =>
    (await runFileCase(database, dir, fc, fileNo + 1_000_000, Buffer.from([...header, ...(lines as string[])].join('\n') + '\n'))).threw;
  const small = (await shrink(body, fails, 60)) as string[];
  return [...header, ...small].join('\n');
}
