/**
 * The traffic of the fault drill, against hubs in child processes: a webhook sender that behaves
 * like a source system (one CloudEvent per request at a fixed rate; a refused event is sent again,
 * with the same id, after Retry-After), GraphQL readers, a /readyz prober and a subscriber that
 * acknowledges every change event and remembers what it got.
 */
import { createServer, type Server } from 'node:http';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Rec = Record<string, unknown> & { entity: string; source: string; sourceId: string };

/** One answer to one request: when, to which hub, status and error code (`network` when no answer). */
export interface Answer {
  at: number;
  hub: number;
  status: number | 'network';
  code?: string;
}

export interface SentEvent {
  eventId: string;
  source: string;
  /** Status of every attempt, in order. */
  answers: Answer[];
  /** An attempt was answered 2xx. */
  acked: boolean;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** POSTs a body and reads the JSON answer (or text); 'network' when the connection failed. */
export function post(port: number, path: string, body: string, headers: Record<string, string>, timeoutMs = 30_000): Promise<{ status: number | 'network'; json: unknown; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve) => {
    const req = request({ agent, host: '127.0.0.1', port, method: 'POST', path, headers: { ...headers, 'content-length': Buffer.byteLength(body) }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = text;
        try {
          json = JSON.parse(text);
        } catch {
          // not JSON: kept as text
        }
        resolve({ status: res.statusCode ?? 0, json, headers: res.headers });
      });
      res.on('error', () => resolve({ status: 'network', json: null, headers: {} }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 'network', json: null, headers: {} }));
    req.end(body);
  });
}

export function get(port: number, path: string): Promise<number | 'network'> {
  return new Promise((resolve) => {
    const req = request({ agent, host: '127.0.0.1', port, method: 'GET', path, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve('network'));
    req.end();
  });
}

const codeOf = (json: unknown): string | undefined => ((json as { error?: { code?: string } } | null)?.error?.code ?? undefined);

/**
 * Sends one event as a source would: again after Retry-After (or 1 s) while it is refused with
 * 503/429 or the connection fails, at most `maxAttempts` times.
 */
export async function sendEvent(port: number | (() => { port: number; hub: number }), key: string, eventId: string, record: Rec, started: number, maxAttempts = 12): Promise<SentEvent> {
  const body = JSON.stringify({ specversion: '1.0', id: eventId, source: `/${record.source}`, type: 'record.changed', data: record });
  const sent: SentEvent = { eventId, source: record.source, answers: [], acked: false };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const target = typeof port === 'number' ? { port, hub: 0 } : port();
    const res = await post(target.port, `/ingest/${record.source}/events`, body, { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${key}` });
    sent.answers.push({ at: performance.now() - started, hub: target.hub, status: res.status, code: codeOf(res.json) });
    if (typeof res.status === 'number' && res.status >= 200 && res.status < 300) {
      sent.acked = true;
      return sent;
    }
    if (res.status !== 503 && res.status !== 429 && res.status !== 'network') return sent;
    const retryAfter = Number(res.headers['retry-after']);
    await new Promise((r) => setTimeout(r, Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 5) * 1000 : 1000));
  }
  return sent;
}

/** Runs `fn(i)` for i = 0..n-1 at `perSecond` (open loop), and waits for all of them. */
export async function atRate<T>(n: number, perSecond: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const started = performance.now();
  const all: Promise<T>[] = [];
  for (let i = 0; i < n; i++) {
    const wait = started + (i * 1000) / perSecond - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    all.push(fn(i));
  }
  return Promise.all(all);
}

/** Repeats `fn` every `everyMs` until stopped; the results are kept. */
export function every<T>(everyMs: number, fn: () => Promise<T>): { stop(): Promise<T[]> } {
  const results: T[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      results.push(await fn());
      const wait = everyMs - (performance.now() - t);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return results;
    },
  };
}

export interface Receiver {
  url: string;
  /** Deliveries per outbox event id. */
  received: Map<string, number>;
  close(): Promise<void>;
}

/** A subscriber on loopback that acknowledges every change event (204) and counts them by event id. */
export async function startReceiver(): Promise<Receiver> {
  const received = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['x-mdm-event-id'] ?? '');
      if (id) received.set(id, (received.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export function closeAgent(): void {
  agent.destroy();
}
