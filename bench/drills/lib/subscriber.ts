/**
 * A change-event subscriber on loopback, as a receiving system would run one: it verifies each
 * request's signature (HMAC over timestamp and raw body, `verifySignature`), answers 401 to a bad
 * one, records every accepted CloudEvent in arrival order, and answers 204 after a short random
 * delay (so that deliveries are in flight when the hub is killed).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../../src/events/cloud-event';

export interface Receipt {
  id: string;
  subject: string;
  type: string;
  goldenVersion: number;
}

export interface Subscriber {
  url: string;
  /** Accepted events in arrival order (redeliveries included). */
  receipts: Receipt[];
  /** Distinct event ids accepted. */
  distinct: Set<string>;
  /** Requests refused for a bad or missing signature. */
  badSignatures: number;
  close(): Promise<void>;
}

export async function startSubscriber(secret: string, maxDelayMs = 20): Promise<Subscriber> {
  const receipts: Receipt[] = [];
  const distinct = new Set<string>();
  let badSignatures = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const ok = verifySignature({ secret, body, timestamp: req.headers['x-mdm-timestamp'] as string | undefined, signature: req.headers['x-mdm-signature'] as string | undefined });
      if (!ok) {
        badSignatures++;
        res.writeHead(401).end();
        return;
      }
      const ce = JSON.parse(body) as { id: string; subject: string; type: string; data: { goldenVersion: number } };
      setTimeout(() => {
        // Recorded when the answer goes out: what the hub may count as acknowledged.
        receipts.push({ id: ce.id, subject: ce.subject, type: ce.type, goldenVersion: ce.data.goldenVersion });
        distinct.add(ce.id);
        res.writeHead(204).end();
      }, Math.floor(Math.random() * maxDelayMs));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mdm-events`,
    receipts,
    distinct,
    get badSignatures() {
      return badSignatures;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
