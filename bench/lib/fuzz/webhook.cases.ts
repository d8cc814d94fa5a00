import { createHmac } from 'node:crypto';
import type { Rng } from '../../../src/sim/world/random';
import { type MutatedRecord, mutateRecord, type RecordPool, recordText } from './records';
import type { BatchItem, FuzzContext, HttpCase, HttpRequestSpec } from './types';
import { defineKey, hostileString, mutateText, randomBytes, randomJson, SQL_INJECTIONS, storableHostileString, truncate, UNICODE } from './values';

/**
 * Webhook cases: canonical records (one, an array, JSONL) and CloudEvents (structured, batched,
 * binary) made of mutated world records, each item labelled valid or invalid, plus broken bodies,
 * wrong content types, oversized requests and odd paths.
 */

const SOURCES = ['erp', 'crm', 'fsm'] as const;
type Source = (typeof SOURCES)[number];

function authHeaders(rng: Rng, ctx: FuzzContext, source: Source, body: string | Uint8Array): Record<string, string> {
  if (source === 'fsm' && rng.chance(0.5)) return { 'x-hub-signature-256': signature(ctx, body) };
  return { authorization: `Bearer ${rng.chance(0.1) ? ctx.keys.admin : ctx.keys.ingest[source]}` };
}

function signature(ctx: FuzzContext, body: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', ctx.fsmSecret).update(body).digest('hex')}`;
}

/** The request with another body (signed again when it was signed). */
function withBody(ctx: FuzzContext, request: HttpRequestSpec, body: string): HttpRequestSpec {
  const headers = { ...request.headers };
  if (headers['x-hub-signature-256']) headers['x-hub-signature-256'] = signature(ctx, body);
  return { ...request, headers, body };
}

/** The client address of well-authenticated traffic (never rate limited: it never fails to authenticate). */
const clientOf = (rng: Rng) => `10.1.${rng.int(4)}.${rng.range(1, 254)}`;

function requestOf(rng: Rng, ctx: FuzzContext, source: Source, endpoint: 'records' | 'events', contentType: string, body: string | Uint8Array, extra: Record<string, string> = {}): HttpRequestSpec {
  const headers: Record<string, string> = { 'content-type': contentType, ...extra };
  Object.assign(headers, authHeaders(rng, ctx, source, body));
  if (rng.chance(0.1)) headers['x-request-id'] = rng.chance(0.5) ? `req-${rng.int(1e9)}` : storableHostileString(rng).slice(0, 300).replace(/[\r\n\u0000-\u001f\u007f-\uffff]/g, '_');
  if (rng.chance(0.05)) headers.traceparent = rng.chance(0.5) ? `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` : 'garbage-traceparent';
  return { method: 'POST', path: `/ingest/${source}/${endpoint}`, headers, body, client: clientOf(rng) };
}

/** A batch of mutated records of one source, unique keys per case. */
function records(rng: Rng, pool: RecordPool, source: Source, caseNo: number, n: number, invalidShare: number): MutatedRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const m = mutateRecord(rng, pool.pick(rng, source), invalidShare, `${caseNo}.${i}`);
    if (m.record.source === source && rng.chance(0.3)) delete m.record.source;
    return m;
  });
}

function itemOf(index: number, m: MutatedRecord, eventId?: string): BatchItem {
  return {
    index,
    verdict: m.verdict,
    entity: typeof m.record.entity === 'string' ? m.record.entity : undefined,
    sourceId: typeof m.record.sourceId === 'string' ? m.record.sourceId : undefined,
    eventId,
    mutations: m.mutations,
  };
}

/** Wrong-source records: a record of another source pushed to this endpoint is refused. */
function maybeOtherSource(rng: Rng, source: Source, m: MutatedRecord): void {
  if (rng.chance(0.03)) {
    m.record.source = rng.pick(SOURCES.filter((s) => s !== source));
    m.verdict = 'invalid';
    m.mutations.push('otherSource');
  }
}

/** Incompressible text (a long repeated id would be compressed below any index limit). */
function randomBase64(rng: Rng, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[rng.int(64)];
  return s;
}

export function webhookCases(pool: RecordPool) {
  /** POST /records with one record or an array. */
  const recordsJson = (rng: Rng, ctx: FuzzContext, caseNo: number): HttpCase => {
    const source = rng.pick(SOURCES);
    const single = rng.chance(0.3);
    const list = records(rng, pool, source, caseNo, single ? 1 : rng.range(1, 40), 0.35);
    for (const m of list) maybeOtherSource(rng, source, m);
    const text = single ? recordText(list[0]) : `[${list.map(recordText).join(',')}]`;
    const items = list.map((m, i) => itemOf(i, m));
    const hasText = list.some((m) => m.text);
    const request = requestOf(rng, ctx, source, 'records', rng.pick(['application/json', 'application/json; charset=utf-8', 'Application/JSON']), text);
    return {
      target: 'webhook',
      kind: single ? 'records-single' : 'records-array',
      request,
      expect: { type: 'webhook', source, endpoint: 'records', items },
      shrink: hasText ? { value: text, render: (v) => withBody(ctx, request, String(v)) } : { value: single ? list[0].record : list.map((m) => m.record), render: (v) => withBody(ctx, request, JSON.stringify(v)) },
    };
  };

  /** POST /records as JSONL, with broken lines among the records. */
  const recordsNdjson = (rng: Rng, ctx: FuzzContext, caseNo: number): HttpCase => {
    const source = rng.pick(SOURCES);
    const list = records(rng, pool, source, caseNo, rng.range(1, 40), 0.3);
    const lines: string[] = [];
    const items: BatchItem[] = [];
    list.forEach((m, i) => {
      const r = rng.int(20);
      if (r === 0) {
        lines.push(truncate(rng, recordText(m)) || '{');
        items.push({ index: lines.length - 1, verdict: 'invalid', mutations: ['truncatedLine'] });
      } else if (r === 1) {
        lines.push(rng.pick(['null', '42', '"text"', '[1,2]', 'true']));
        items.push({ index: lines.length - 1, verdict: 'invalid', mutations: ['notAnObject'] });
      } else if (r === 2) {
        lines.push('');
      } else {
        lines.push(recordText(m) + (rng.chance(0.2) ? '\r' : ''));
        items.push({ ...itemOf(lines.length - 1, m), index: lines.length - 1 });
      }
      void i;
    });
    if (items.length === 0) {
      lines.push('{}');
      items.push({ index: lines.length - 1, verdict: 'invalid', mutations: ['emptyObject'] });
    }
    const text = lines.join('\n') + (rng.chance(0.5) ? '\n' : '');
    const request = requestOf(rng, ctx, source, 'records', rng.pick(['application/x-ndjson', 'application/jsonl']), text);
    return { target: 'webhook', kind: 'records-ndjson', request, expect: { type: 'webhook', source, endpoint: 'records', items }, shrink: { value: text, render: (v) => withBody(ctx, request, String(v)) } };
  };

  /** A CloudEvent around a mutated record, possibly with a broken envelope. */
  const cloudEvent = (rng: Rng, m: MutatedRecord, id: string): { event: unknown; text?: string; verdict: 'valid' | 'invalid' | 'unknown'; mutations: string[] } => {
    const ev: Record<string, unknown> = { specversion: '1.0', id, source: `/sap/${rng.int(10)}`, type: 'com.example.record.changed', datacontenttype: 'application/json', time: '2026-01-01T00:00:00Z', data: m.record };
    const mutations = [...m.mutations];
    let verdict: 'valid' | 'invalid' | 'unknown' = m.verdict;
    const r = rng.int(30);
    const broken = (name: string) => {
      mutations.push(name);
      verdict = 'invalid';
    };
    if (r === 0) {
      ev.specversion = rng.pick<unknown>(['0.3', 1, '1.0 ', null, '2.0']);
      broken('specversion');
    } else if (r === 1) {
      const field = rng.pick(['id', 'source', 'type']);
      ev[field] = rng.pick<unknown>([undefined, '', '   ', 7, null, { a: 1 }]);
      broken(`bad-${field}`);
    } else if (r === 2) {
      delete ev.data;
      if (rng.chance(0.5)) ev.data_base64 = Buffer.from(JSON.stringify(m.record)).toString('base64');
      broken('noData');
    } else if (r === 3) {
      ev.datacontenttype = rng.pick(['application/xml', 'text/plain', 'application/jsonx', '']);
      broken('datacontenttype');
    } else if (r === 4) {
      for (let i = 0; i < rng.range(1, 5); i++) defineKey(ev, rng.chance(0.3) ? rng.pick(['__proto__', 'constructor']) : `ext${i}`, storableHostileString(rng));
      mutations.push('extensions');
    } else if (r === 5) {
      ev.datacontenttype = rng.pick(['application/json; charset=utf-8', 'application/vnd.sap+json', 'application/cloudevents+json']);
      mutations.push('jsonVariantContentType');
    } else if (r === 6) {
      // The id first: PGlite drops a leading U+FEFF from text it returns (docs/security.md).
      ev.id = `${id}#${rng.pick([...SQL_INJECTIONS, ...UNICODE])}`;
      mutations.push('hostileId');
    } else if (r === 7) {
      // An id PostgreSQL cannot store, or one far longer than any real event id (at most 256 characters).
      ev.id = rng.pick([`${id}\u0000x`, `${id}\ud800`, `${id}-${randomBase64(rng, rng.range(300, 200_000))}`]);
      broken('extremeId');
    } else if (r === 8) {
      ev.data = rng.pick<unknown>([null, 'text', 42, [m.record], true]);
      broken('dataNotRecord');
    }
    if (m.text && ev.data === m.record) {
      // Deeply nested record: splice its text in by hand.
      const marker = '"__DATA__"';
      const text = JSON.stringify({ ...ev, data: '__DATA__' }).replace(marker, m.text);
      return { event: ev, text, verdict, mutations };
    }
    return { event: ev, verdict, mutations };
  };

  const eventsBatch = (rng: Rng, ctx: FuzzContext, caseNo: number): HttpCase => {
    const source = rng.pick(SOURCES);
    const list = records(rng, pool, source, caseNo, rng.range(1, 40), 0.3);
    const parts: string[] = [];
    const items: BatchItem[] = [];
    list.forEach((m, i) => {
      maybeOtherSource(rng, source, m);
      const id = `ev-${caseNo}-${i}`;
      if (rng.chance(0.03)) {
        const junk = rng.pick<unknown>(['text', 42, null, [1], true]);
        parts.push(JSON.stringify(junk));
        items.push({ index: i, verdict: 'invalid', mutations: ['notAnEvent'] });
        return;
      }
      const ce = cloudEvent(rng, m, id);
      parts.push(ce.text ?? JSON.stringify(ce.event));
      items.push({ ...itemOf(i, m, typeof (ce.event as { id?: unknown }).id === 'string' ? ((ce.event as { id: string }).id) : undefined), verdict: ce.verdict, mutations: ce.mutations });
    });
    const text = `[${parts.join(',')}]`;
    const request = requestOf(rng, ctx, source, 'events', 'application/cloudevents-batch+json', text);
    return { target: 'webhook', kind: 'events-batch', request, expect: { type: 'webhook', source, endpoint: 'events', items }, shrink: { value: text, render: (v) => withBody(ctx, request, String(v)) } };
  };

  const eventStructured = (rng: Rng, ctx: FuzzContext, caseNo: number): HttpCase => {
    const source = rng.pick(SOURCES);
    const [m] = records(rng, pool, source, caseNo, 1, 0.3);
    maybeOtherSource(rng, source, m);
    const ce = cloudEvent(rng, m, `ev-${caseNo}-0`);
    const text = ce.text ?? JSON.stringify(ce.event);
    const id = (ce.event as { id?: unknown }).id;
    const items = [{ ...itemOf(0, m, typeof id === 'string' ? id : undefined), verdict: ce.verdict, mutations: ce.mutations }];
    const request = requestOf(rng, ctx, source, 'events', rng.pick(['application/cloudevents+json', 'application/cloudevents+json; charset=utf-8']), text);
    return { target: 'webhook', kind: 'event-structured', request, expect: { type: 'webhook', source, endpoint: 'events', items }, shrink: { value: text, render: (v) => withBody(ctx, request, String(v)) } };
  };

  const eventBinary = (rng: Rng, ctx: FuzzContext, caseNo: number): HttpCase => {
    const source = rng.pick(SOURCES);
    const [m] = records(rng, pool, source, caseNo, 1, 0.3);
    maybeOtherSource(rng, source, m);
    const id = `ev-${caseNo}-0`;
    const ce: Record<string, string> = { 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/crm', 'ce-type': 'com.example.record.changed' };
    let verdict: BatchItem['verdict'] = m.verdict;
    const mutations = [...m.mutations];
    const r = rng.int(10);
    if (r === 0) {
      delete ce[rng.pick(Object.keys(ce))];
      verdict = 'invalid';
      mutations.push('missingHeader');
    } else if (r === 1) {
      ce['ce-specversion'] = rng.pick(['0.3', '1', '1.0.0']);
      verdict = 'invalid';
      mutations.push('specversion');
    } else if (r === 2) {
      ce['ce-id'] = `${id}-${randomBase64(rng, rng.range(300, 8000))}`;
      mutations.push('longId');
      verdict = 'invalid';
    }
    const text = recordText(m);
    const request = requestOf(rng, ctx, source, 'events', 'application/json', text, ce);
    return {
      target: 'webhook',
      kind: 'event-binary',
      request,
      expect: { type: 'webhook', source, endpoint: 'events', items: [{ ...itemOf(0, m, ce['ce-id']), verdict, mutations }] },
      shrink: { value: text, render: (v) => withBody(ctx, request, String(v)) },
    };
  };

  /** Bodies that are not what the content type says, or not JSON at all. */
  const brokenBody = (rng: Rng, ctx: FuzzContext, caseNo: number): HttpCase => {
    const source = rng.pick(SOURCES);
    const endpoint = rng.pick(['records', 'events'] as const);
    const [m] = records(rng, pool, source, caseNo, 1, 0);
    const valid = endpoint === 'records' ? JSON.stringify(m.record) : JSON.stringify({ specversion: '1.0', id: `ev-${caseNo}`, source: '/x', type: 't', data: m.record });
    let body: string | Uint8Array;
    let kind: string;
    switch (rng.int(7)) {
      case 0:
        body = truncate(rng, valid);
        kind = 'truncated-json';
        break;
      case 1:
        body = mutateText(rng, valid);
        kind = 'mutated-json';
        break;
      case 2:
        body = randomBytes(rng, rng.range(0, 2000));
        kind = 'random-bytes';
        break;
      case 3:
        body = '';
        kind = 'empty-body';
        break;
      case 4:
        body = JSON.stringify(randomJson(rng));
        kind = 'random-json';
        break;
      case 5:
        body = `\ufeff${valid}`;
        kind = 'bom';
        break;
      default:
        body = `${valid}${valid}`;
        kind = 'two-documents';
    }
    const contentType = endpoint === 'records' ? rng.pick(['application/json', 'application/x-ndjson']) : rng.pick(['application/cloudevents+json', 'application/cloudevents-batch+json']);
    const request = requestOf(rng, ctx, source, endpoint, contentType, body);
    return { target: 'webhook', kind, request, expect: { type: 'any' }, shrink: typeof body === 'string' ? { value: body, render: (v) => withBody(ctx, request, String(v)) } : undefined };
  };

  const wrongContentType = (rng: Rng, ctx: FuzzContext, caseNo: number): HttpCase => {
    const source = rng.pick(SOURCES);
    const endpoint = rng.pick(['records', 'events'] as const);
    const [m] = records(rng, pool, source, caseNo, 1, 0);
    const contentType = rng.pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', '', 'application/x-www-form-urlencoded', 'application/json-patch+json', 'image/png', '*/*', 'application/cloudevents+json'.toUpperCase() + 'x']);
    const request = requestOf(rng, ctx, source, endpoint, contentType, JSON.stringify(m.record));
    if (contentType === '') delete request.headers['content-type'];
    return { target: 'webhook', kind: 'wrong-content-type', request, expect: { type: 'status', statuses: [415], code: 'UNSUPPORTED_MEDIA_TYPE' } };
  };

  const oversized = (rng: Rng, ctx: FuzzContext, caseNo: number): HttpCase => {
    const source = rng.pick(SOURCES);
    if (rng.chance(0.5)) {
      // More than 1,000 events.
      const n = rng.range(1001, 1500);
      const one = (i: number) => JSON.stringify({ entity: 'product', sourceId: `P-${caseNo}-${i}`, name: 'x' });
      const body = `[${Array.from({ length: n }, (_, i) => one(i)).join(',')}]`;
      return { target: 'webhook', kind: 'too-many-events', request: requestOf(rng, ctx, source, 'records', 'application/json', body), expect: { type: 'status', statuses: [413], code: 'TOO_MANY_EVENTS' } };
    }
    const body = `{"entity":"product","sourceId":"big-${caseNo}","name":"${'x'.repeat(5 * 1024 * 1024 + rng.range(1, 1000))}"}`;
    return { target: 'webhook', kind: 'body-too-large', request: requestOf(rng, ctx, source, 'records', 'application/json', body), expect: { type: 'status', statuses: [413], code: 'PAYLOAD_TOO_LARGE' } };
  };

  const oddPath = (rng: Rng, ctx: FuzzContext): HttpCase => {
    const source = rng.pick([
      'ERP', 'e r p', 'x'.repeat(41), '..', '%2e%2e', 'erp%00', 'érp', "erp';--", 'erp/extra', '', 'a/b/c', encodeURIComponent(storableHostileString(rng).slice(0, 50)),
    ]);
    const endpoint = rng.pick(['records', 'events', 'record', 'EVENTS', '', 'records/']);
    const method = rng.pick(['POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
    const request: HttpRequestSpec = {
      method,
      path: `/ingest/${source}/${endpoint}`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.keys.admin}` },
      body: method === 'GET' || method === 'HEAD' ? undefined : '{"entity":"product","sourceId":"x"}',
      client: clientOf(rng),
    };
    return { target: 'webhook', kind: 'odd-path', request, expect: { type: 'any' } };
  };

  return { recordsJson, recordsNdjson, eventsBatch, eventStructured, eventBinary, brokenBody, wrongContentType, oversized, oddPath };
}
