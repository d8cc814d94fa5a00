import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { bodyLimit } from '../http/body-limit';
import { authenticateApiKeyCached } from '../auth/principal-cache';
import { hasScope, type Principal } from '../auth/roles';
import type { Database } from '../db/database';
import { contentHash, validateCanonical } from '../ingest/canonical-record';
import { excerptOf } from '../ingest/source-adapter';
import { addToQuarantine } from '../ingest/quarantine.repository';
import { enqueueEvents, type InboxEventInput, inboxBacklog } from './inbox.repository';
import { inboxSignal } from './inbox-signal';
import { sourceWebhookRoutes } from './source-webhooks';

/**
 * Event-driven ingest: `POST /ingest/<source>/records` (canonical records) and
 * `POST /ingest/<source>/events` (CloudEvents 1.0: structured, batched or binary). An event is
 * answered 202 only once it is stored in the inbox (sql/0009_inbox.sql); a worker resolves it from
 * there. Each record is validated first: the valid ones land, the others are listed in the answer
 * (index, id, reason) and quarantined. Duplicates (same event id, or the same record version
 * pushed twice) are recognised and change nothing. docs/realtime.md tells the whole contract.
 */
export interface WebhookConfig {
  /** Largest request body (bytes); default `MDM_INGEST_MAX_BODY_BYTES` or 5 MB. */
  maxBodyBytes: number;
  /** Most events in one request; default 1000. */
  maxEvents: number;
  /** Inbox backlog above which webhooks answer 429; default `MDM_INBOX_MAX_BACKLOG` or 100,000. */
  maxBacklog: number;
  /** Seconds a 429 asks the sender to wait. */
  retryAfterSeconds: number;
  /** HMAC-SHA256 secret of a source (`MDM_WEBHOOK_SECRET_<SOURCE>`), or undefined: API keys only. */
  secretOf: (source: string) => string | undefined;
}

export function webhookConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  const int = (name: string, fallback: number) => {
    const v = Number(env[name]);
    return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
  };
  return {
    maxBodyBytes: int('MDM_INGEST_MAX_BODY_BYTES', 5 * 1024 * 1024),
    maxEvents: int('MDM_INGEST_MAX_EVENTS', 1000),
    maxBacklog: int('MDM_INBOX_MAX_BACKLOG', 100_000),
    retryAfterSeconds: 5,
    secretOf: (source) => env[`MDM_WEBHOOK_SECRET_${source.toUpperCase().replace(/-/g, '_')}`] || undefined,
  };
}

const SOURCE_RE = /^[a-z0-9_-]{1,40}$/;
const BEARER = /^Bearer\s+(\S+)\s*$/i;

export type WebhookEnv = { Variables: { correlationId?: string } };
type Env = WebhookEnv;

export interface Rejection {
  index: number;
  eventId?: string | null;
  entity?: string | null;
  sourceId?: string | null;
  reason: string;
}

export function webhookError(c: Context, status: 400 | 401 | 403 | 413 | 415 | 429, code: string, message: string, extra: Record<string, unknown> = {}) {
  return c.json({ error: { code, message, ...extra } }, status);
}

const error = webhookError;

/** Parses JSON text: the value, or the parser's message. */
export function parseJson(t: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(t) };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

/** The inbox event id of a record pushed without one: its version is its identity (the same version twice is one event). */
export function recordEventId(record: { entity: string; sourceId: string }, hash: string): string {
  return `record:${createHash('sha256').update(`${record.entity}\u0000${record.sourceId}\u0000${hash}`).digest('hex').slice(0, 40)}`;
}

/**
 * What every webhook of `/ingest` shares; the source-format endpoints (`source-webhooks.ts`) get
 * it from `webhookRoutes`.
 */
export interface WebhookKit {
  readonly config: WebhookConfig;
  readonly error: typeof webhookError;
  readonly parseJson: typeof parseJson;
  readonly recordEventId: typeof recordEventId;
  /** CloudEvents 1.0 structured-mode checks of one event (`dataIs` says what its data must be): the problem or null. */
  readonly cloudEventProblem: typeof cloudEventProblem;
  /**
   * Checks the source name, authenticates (the source's ingest key or admin, or its HMAC
   * signature) and applies back-pressure, before anything is parsed or stored: the body, or the
   * answer to give.
   */
  admit(c: Context<Env>, source: string): Promise<{ body: Uint8Array; text: string } | Response>;
  /** An event's correlation id: the request's (X-Request-Id, traceparent), else the event id, else the one made for the request. */
  correlationOf(c: Context<Env>, eventId: string | null): string | null;
  /**
   * Stores the valid events in the inbox (one transaction) and quarantines the rejected ones,
   * then answers 202 `{accepted, duplicates, rejected, events}` (400 when no event is valid).
   */
  answer(
    c: Context<Env>,
    input: { source: string; endpoint: string; events: Array<InboxEventInput & { index: number }>; rejected: Rejection[]; excerptAt: (index: number) => unknown },
  ): Promise<Response>;
}

/** Verifies `X-Hub-Signature-256: sha256=<hex>` (HMAC-SHA256 of the raw body with the source's secret). */
function signatureValid(secret: string, body: Uint8Array, header: string): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(m[1], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The canonical-record fields of a CloudEvent's data or a pushed record, with the source filled in. */
function recordOf(value: unknown, source: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = value as Record<string, unknown>;
  return v.source === undefined ? { ...v, source } : v;
}

interface Candidate {
  index: number;
  eventId: string | null;
  correlationId: string | null;
  record: unknown;
}

/** Longest event id: the inbox keys on it (a unique index, whose entries PostgreSQL bounds). */
const MAX_EVENT_ID = 256;

/** An event id the inbox can store and key on: at most MAX_EVENT_ID characters, no NUL, no unpaired surrogate. */
function eventIdProblem(id: string): string | null {
  if (id.length > MAX_EVENT_ID) return `the CloudEvent id is ${id.length} characters long (at most ${MAX_EVENT_ID})`;
  if (/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(id)) return 'the CloudEvent id contains a NUL character or an unpaired UTF-16 surrogate';
  return null;
}

/** CloudEvents 1.0 structured-mode checks; returns the problem or null. */
function cloudEventProblem(e: unknown, dataIs = 'the canonical record'): string | null {
  if (e === null || typeof e !== 'object' || Array.isArray(e)) return 'a CloudEvent must be a JSON object';
  const ce = e as Record<string, unknown>;
  if (ce.specversion !== '1.0') return `specversion must be "1.0" (got ${JSON.stringify(ce.specversion ?? null)})`;
  for (const field of ['id', 'source', 'type'] as const) {
    if (typeof ce[field] !== 'string' || (ce[field] as string).trim() === '') return `the CloudEvent attribute "${field}" is missing or not a non-empty string`;
  }
  const idProblem = eventIdProblem(ce.id as string);
  if (idProblem) return idProblem;
  if (ce.data === undefined) {
    if (typeof ce.data_base64 === 'string') return 'data_base64 is not accepted: send the record as JSON "data"';
    return `the CloudEvent has no "data" (${dataIs})`;
  }
  if (ce.datacontenttype !== undefined && !/^application\/(.+\+)?json\b/i.test(String(ce.datacontenttype))) {
    return `datacontenttype ${JSON.stringify(ce.datacontenttype)} is not JSON`;
  }
  return null;
}

export function webhookRoutes(options: { database: Database; config?: Partial<WebhookConfig> }): Hono<Env> {
  const config: WebhookConfig = { ...webhookConfigFromEnv(), ...options.config };
  const { database } = options;
  const routes = new Hono<Env>();
  let backlogCache = { at: 0, value: 0 };
  // Sources push many small requests: verified keys are remembered for a few seconds (principal-cache.ts).
  const authenticate = async (key: string): Promise<Principal | null> => {
    const auth = await authenticateApiKeyCached(database.db, key);
    return auth.kind === 'authenticated' ? auth.principal : null;
  };

  routes.use(
    '*',
    bodyLimit({
      maxSize: config.maxBodyBytes,
      onError: (c) =>
        error(c, 413, 'PAYLOAD_TOO_LARGE', `request body is over the limit of ${config.maxBodyBytes} bytes: send fewer events per request`),
    }),
  );

  const admit = async (c: Context<Env>, source: string): Promise<{ body: Uint8Array; text: string } | Response> => {
    if (!SOURCE_RE.test(source)) return error(c, 400, 'INVALID_SOURCE', `"${source.slice(0, 60)}" is not a source name ([a-z0-9_-]{1,40})`);

    // Authentication before anything is read or stored: the source's ingest key (or admin), or its HMAC signature.
    const body = new Uint8Array(await c.req.arrayBuffer());
    const authorization = c.req.header('authorization');
    const signature = c.req.header('x-hub-signature-256');
    if (authorization) {
      const m = BEARER.exec(authorization);
      const principal = m ? await authenticate(m[1]) : null;
      if (!principal) {
        c.header('WWW-Authenticate', 'Bearer realm="mdm"');
        return error(c, 401, 'UNAUTHENTICATED', 'the API key is unknown or revoked');
      }
      if (!hasScope(principal, `ingest:${source}`) && !hasScope(principal, 'admin')) {
        return error(c, 403, 'FORBIDDEN', `this key may not push records of source "${source}" (it needs the role ingest:${source})`);
      }
    } else if (signature) {
      const secret = config.secretOf(source);
      if (!secret || !signatureValid(secret, body, signature)) {
        return error(c, 401, 'UNAUTHENTICATED', `the X-Hub-Signature-256 signature does not match the body signed with the webhook secret of source "${source}"`);
      }
    } else {
      c.header('WWW-Authenticate', 'Bearer realm="mdm"');
      return error(c, 401, 'UNAUTHENTICATED', `send "Authorization: Bearer <key>" with an ingest:${source} key, or sign the body (X-Hub-Signature-256)`);
    }

    // Back-pressure: above the bound, senders are asked to come back later; nothing is stored.
    const now = Date.now();
    if (now - backlogCache.at > 1000) backlogCache = { at: now, value: await inboxBacklog(database.db) };
    if (backlogCache.value >= config.maxBacklog) {
      c.header('Retry-After', String(config.retryAfterSeconds));
      return error(c, 429, 'OVERLOADED', `the inbox holds ${backlogCache.value} unprocessed events (bound ${config.maxBacklog}): retry after ${config.retryAfterSeconds} s`);
    }
    return { body, text: new TextDecoder('utf-8', { fatal: false }).decode(body) };
  };

  const correlationOf = (c: Context<Env>, eventId: string | null): string | null => {
    const fromRequest = c.req.header('x-request-id') || c.req.header('traceparent') ? (c.get('correlationId') ?? null) : null;
    return fromRequest ?? eventId ?? c.get('correlationId') ?? null;
  };

  const answer: WebhookKit['answer'] = async (c, { source, endpoint, events, rejected, excerptAt }) => {
    rejected.sort((a, b) => a.index - b.index);
    const ids = await enqueueEvents(database.db, events);
    if (rejected.length > 0) {
      await addToQuarantine(
        database.db,
        rejected.map((r) => ({
          runId: null, source, entity: r.entity ?? null, sourceId: r.sourceId ?? null, file: `webhook /ingest/${source}/${endpoint}`, line: r.index + 1,
          excerpt: excerptOf(excerptAt(r.index) ?? null), reason: r.reason,
        })),
      );
    }
    const accepted = ids.filter((id) => id !== null).length;
    if (accepted > 0) inboxSignal.notify();
    backlogCache.value += accepted;
    const body = {
      accepted,
      duplicates: ids.length - accepted,
      rejected,
      events: events.map((e, k) => ({ index: e.index, eventId: e.eventId, entity: e.entity, sourceId: e.sourceId, inboxId: ids[k], duplicate: ids[k] === null })),
    };
    if (events.length === 0) return c.json({ error: { code: 'INVALID_EVENTS', message: 'no event in the request is valid: see "rejected"' }, ...body }, 400);
    return c.json(body, 202);
  };

  routes.post('/:source/:kind{(?:records|events)}', async (c) => {
    const source = c.req.param('source');
    const kind = c.req.param('kind') as 'records' | 'events';
    const admitted = await admit(c, source);
    if (admitted instanceof Response) return admitted;
    const { text } = admitted;
    const contentType = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    const parse = parseJson;

    const candidates: Candidate[] = [];
    const rejected: Rejection[] = [];
    if (kind === 'records') {
      if (contentType === 'application/x-ndjson' || contentType === 'application/jsonl') {
        text.split('\n').forEach((line, i) => {
          if (line.trim() === '') return;
          const p = parse(line);
          if (!p.ok) rejected.push({ index: i, reason: `line ${i + 1} is not JSON: ${p.message}` });
          else candidates.push({ index: i, eventId: null, correlationId: correlationOf(c, null), record: recordOf(p.value, source) });
        });
      } else if (contentType === 'application/json') {
        const p = parse(text);
        if (!p.ok) return error(c, 400, 'INVALID_JSON', `the body is not JSON: ${p.message}`);
        const list = Array.isArray(p.value) ? p.value : [p.value];
        list.forEach((r, i) => candidates.push({ index: i, eventId: null, correlationId: correlationOf(c, null), record: recordOf(r, source) }));
      } else {
        return error(c, 415, 'UNSUPPORTED_MEDIA_TYPE', `content type "${contentType || '(none)'}" is not accepted here: send application/json (a record or an array) or application/x-ndjson`);
      }
    } else if (contentType === 'application/cloudevents+json' || contentType === 'application/cloudevents-batch+json') {
      const p = parse(text);
      if (!p.ok) return error(c, 400, 'INVALID_JSON', `the body is not JSON: ${p.message}`);
      const batch = contentType === 'application/cloudevents-batch+json';
      if (batch && !Array.isArray(p.value)) return error(c, 400, 'INVALID_BATCH', 'a CloudEvents batch must be a JSON array of events');
      const list = batch ? (p.value as unknown[]) : [p.value];
      list.forEach((e, i) => {
        const problem = cloudEventProblem(e);
        const ce = (e ?? {}) as Record<string, unknown>;
        const id = typeof ce.id === 'string' ? ce.id : null;
        if (problem) rejected.push({ index: i, eventId: id, reason: problem });
        else candidates.push({ index: i, eventId: id, correlationId: correlationOf(c, id), record: recordOf(ce.data, source) });
      });
    } else if (contentType === 'application/json' && c.req.header('ce-specversion')) {
      // Binary mode: the attributes in ce-* headers, the record as the body.
      const id = c.req.header('ce-id') ?? '';
      if (c.req.header('ce-specversion') !== '1.0') return error(c, 400, 'INVALID_EVENT', 'ce-specversion must be "1.0"');
      for (const h of ['ce-id', 'ce-source', 'ce-type']) {
        if (!c.req.header(h)) return error(c, 400, 'INVALID_EVENT', `the CloudEvent header ${h} is missing`);
      }
      const idProblem = eventIdProblem(id);
      if (idProblem) return error(c, 400, 'INVALID_EVENT', idProblem);
      const p = parse(text);
      if (!p.ok) return error(c, 400, 'INVALID_JSON', `the body is not JSON: ${p.message}`);
      candidates.push({ index: 0, eventId: id, correlationId: correlationOf(c, id), record: recordOf(p.value, source) });
    } else {
      return error(c, 415, 'UNSUPPORTED_MEDIA_TYPE', `content type "${contentType || '(none)'}" is not accepted here: send application/cloudevents+json, application/cloudevents-batch+json, or application/json with ce-* headers`);
    }
    if (candidates.length + rejected.length > config.maxEvents) {
      return error(c, 413, 'TOO_MANY_EVENTS', `${candidates.length + rejected.length} events in one request; at most ${config.maxEvents}`);
    }

    const events: Array<InboxEventInput & { index: number }> = [];
    for (const cand of candidates) {
      const v = validateCanonical(cand.record, { defaultSource: source });
      if (!v.ok) {
        rejected.push({ index: cand.index, eventId: cand.eventId, entity: v.entity ?? null, sourceId: v.sourceId ?? null, reason: v.reason });
        continue;
      }
      if (v.record.source !== source) {
        rejected.push({ index: cand.index, eventId: cand.eventId, entity: v.record.entity, sourceId: v.record.sourceId, reason: `the record's source "${v.record.source}" is not the source of this endpoint ("${source}")` });
        continue;
      }
      const hash = contentHash(v.record);
      events.push({
        index: cand.index,
        source,
        // Without an event id, the record version is the identity: the same version twice is one event.
        eventId: cand.eventId ?? recordEventId(v.record, hash),
        kind: 'record',
        entity: v.record.entity,
        sourceId: v.record.sourceId,
        payload: cand.record as Record<string, unknown>,
        correlationId: cand.correlationId,
      });
    }
    return answer(c, { source, endpoint: kind, events, rejected, excerptAt: (index) => candidates.find((x) => x.index === index)?.record ?? null });
  });

  // SAP business events, Salesforce change events and ServiceNow record webhooks (docs/realtime.md).
  routes.route('/', sourceWebhookRoutes({ config, error, parseJson, recordEventId, cloudEventProblem, admit, correlationOf, answer }));
  return routes;
}
