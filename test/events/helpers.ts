import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { Database } from '../../src/db/database';
import { type MdmCloudEvent, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../src/events/cloud-event';

export interface Received {
  event: MdmCloudEvent;
  body: string;
  headers: IncomingMessage['headers'];
  /** The status answered (0 when the connection was dropped or the request hung). */
  status: number;
  at: number;
  signatureValid: boolean;
}

/** What the receiver does with a request: answer a status, hang for ms, or drop the connection. */
export type Behaviour = (event: MdmCloudEvent, attempt: number) => number | { hangMs: number } | { delayMs: number; status: number } | 'drop';

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Events answered 2xx, in the order they were acknowledged. */
  acked(): MdmCloudEvent[];
  behaviour: Behaviour;
  close(): Promise<void>;
  /** Listens again on the same port after `close()`. */
  reopen(): Promise<void>;
}

/** A subscriber's HTTP endpoint on loopback, recording every request. */
export async function startReceiver(secret: string, port = 0): Promise<Receiver> {
  const received: Received[] = [];
  let server: Server;
  const receiver: Receiver = {
    url: '',
    port,
    received,
    behaviour: () => 200,
    acked: () => received.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.event),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    reopen: () => listen(receiver.port),
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const event = JSON.parse(body) as MdmCloudEvent;
      const attempt = Number(req.headers['x-mdm-delivery-attempt'] ?? 1);
      const signatureValid = verifySignature({
        secret, body, timestamp: req.headers[TIMESTAMP_HEADER] as string, signature: req.headers[SIGNATURE_HEADER] as string,
      });
      const action = receiver.behaviour(event, attempt);
      const record: Received = { event, body, headers: req.headers, status: 0, at: Date.now(), signatureValid };
      received.push(record);
      if (action === 'drop') {
        req.socket.destroy();
        return;
      }
      if (typeof action === 'object' && 'delayMs' in action) {
        setTimeout(() => {
          record.status = action.status;
          res.writeHead(action.status, { 'content-type': 'text/plain' });
          res.end('ok');
        }, action.delayMs);
        return;
      }
      if (typeof action === 'object') {
        setTimeout(() => {
          if (!res.writableEnded && !res.destroyed) res.end();
        }, action.hangMs);
        return;
      }
      record.status = action;
      res.writeHead(action, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  };
  const listen = (p: number) =>
    new Promise<void>((resolve, reject) => {
      server = createServer(handle);
      server.keepAliveTimeout = 1000;
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => {
        receiver.port = (server.address() as AddressInfo).port;
        receiver.url = `http://127.0.0.1:${receiver.port}/events`;
        resolve();
      });
    });
  await listen(port);
  return receiver;
}

export interface TestEvent {
  goldenId: string;
  version: number;
  type?: string;
  entity?: string;
  payload?: Record<string, unknown>;
  correlationId?: string | null;
}

/** Writes outbox rows directly, as a golden change would, in one transaction. Returns their ids. */
export async function writeEvents(database: Database, events: TestEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = await database.db
    .insertInto('outbox')
    .values(events.map((e) => ({
      event_type: e.type ?? 'golden.updated',
      entity: e.entity ?? 'customer',
      golden_id: e.goldenId,
      golden_version: e.version,
      payload: JSON.stringify(e.payload ?? { changedAttributes: ['name'] }) as never,
      correlation_id: e.correlationId ?? null,
    })))
    .returning('id')
    .execute();
  return rows.map((r) => String(r.id));
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Per golden id, the versions of the acknowledged events, in acknowledgement order. */
export function versionsByGolden(events: MdmCloudEvent[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const e of events) {
    const list = out.get(e.subject) ?? [];
    list.push(e.data.goldenVersion);
    out.set(e.subject, list);
  }
  return out;
}

export async function countRows(database: Database, table: 'delivery' | 'dead_letter'): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(database.db);
  return rows[0].n;
}
