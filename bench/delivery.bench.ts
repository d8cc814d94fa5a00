/**
 * bench:delivery: change events written to the outbox at a steady rate (default 2,000 events/s,
 * 100 per transaction every 50 ms, spread over 5,000 golden ids so many have several versions in
 * flight) and delivered by the dispatcher to a subscriber on loopback that acknowledges at once.
 * Measures outbox-to-delivery latency (receipt time minus the event's created_at, the start of
 * its writing transaction) and checks that nothing is lost and order per golden id holds.
 * Embedded database by default; PostgreSQL when DATABASE_URL is set (a fresh database is created
 * and dropped). Prints the figures; the goal is p99 <= 1 s.
 *
 *   npx tsx bench/delivery.bench.ts [--rate 2000] [--seconds 20]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { type Database, openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { startDispatcher } from '../src/events/dispatcher';
import { addSubscriber, OPERATOR } from '../src/events/subscriber.service';
import { machineLine } from './lib/report';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => Number(args[args.indexOf(`--${name}`) + 1] || 0) || fallback;
const RATE = arg('rate', 2000);
const SECONDS = arg('seconds', 20);
const TICK_MS = 50;
const PER_TICK = Math.round((RATE * TICK_MS) / 1000);
const GOLDENS = 5000;

async function open(): Promise<{ database: Database; cleanup: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `mdm_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: u.toString() });
    return {
      database,
      async cleanup() {
        await database.close();
        const a = new pg.Client({ connectionString: url });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'mdm-bench-delivery-'));
  const database = await openDatabase({ dataDir: dir });
  return {
    database,
    async cleanup() {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const { database, cleanup } = await open();
  const { error } = await migrateToLatest(database.db);
  if (error) throw error;

  const latencies: number[] = [];
  const lastVersion = new Map<string, number>();
  const seen = new Set<string>();
  let outOfOrder = 0;
  let duplicates = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const ce = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; subject: string; time: string; data: { goldenVersion: number } };
      const now = Date.now();
      if (seen.has(ce.id)) duplicates++;
      else {
        seen.add(ce.id);
        latencies.push(now - Date.parse(ce.time));
        if ((lastVersion.get(ce.subject) ?? 0) > ce.data.goldenVersion) outOfOrder++;
        lastVersion.set(ce.subject, ce.data.goldenVersion);
      }
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  const added = await addSubscriber(database.db, OPERATOR, { url, name: 'bench', secret: 'bench-secret-0123456789abcdef' });
  if (added.kind !== 'success') throw new Error(added.message);
  const dispatcher = startDispatcher(database, { logger: pino({ level: 'warn' }) });

  const version = new Map<number, number>();
  let written = 0;
  let g = 0;
  const started = Date.now();
  const total = RATE * SECONDS;
  process.stdout.write(`writing ${total} events at ${RATE}/s for ${SECONDS} s on ${database.description} ...\n`);
  while (written < total) {
    const due = started + (written / PER_TICK) * TICK_MS;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const rows = [];
    for (let i = 0; i < PER_TICK && written + rows.length < total; i++) {
      const id = (g = (g * 7 + 13) % GOLDENS); // spread, with repeats across ticks
      const v = (version.get(id) ?? 0) + 1;
      version.set(id, v);
      rows.push({
        event_type: 'golden.updated', entity: 'customer', golden_id: `G-${id}`, golden_version: v,
        payload: JSON.stringify({ changedAttributes: ['name'] }) as never, correlation_id: null,
      });
    }
    await database.db.insertInto('outbox').values(rows).execute();
    written += rows.length;
  }
  const writeSeconds = (Date.now() - started) / 1000;
  const deadline = Date.now() + 60_000;
  while (seen.size < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const deliverSeconds = (Date.now() - started) / 1000;
  await dispatcher.stop();
  server.close();
  const pending = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM delivery`.execute(database.db)).rows[0].n;
  await cleanup();

  const sorted = [...latencies].sort((a, b) => a - b);
  const fmt = (ms: number) => `${Math.round(ms)} ms`;
  process.stdout.write(
    [
      `machine:     ${machineLine()}`,
      `database:    ${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite'}`,
      `written:     ${written} events in ${writeSeconds.toFixed(1)} s (${Math.round(written / writeSeconds)}/s, ${PER_TICK} per transaction)`,
      `delivered:   ${seen.size} distinct in ${deliverSeconds.toFixed(1)} s (${Math.round(seen.size / deliverSeconds)}/s), duplicates ${duplicates}, lost ${total - seen.size}, still queued ${pending}`,
      `order:       ${outOfOrder} out-of-order deliveries per golden id`,
      `latency:     p50 ${fmt(percentile(sorted, 50))}, p90 ${fmt(percentile(sorted, 90))}, p99 ${fmt(percentile(sorted, 99))}, max ${fmt(sorted.at(-1) ?? NaN)}`,
      `goal p99 <= 1000 ms: ${percentile(sorted, 99) <= 1000 ? 'met' : 'NOT met'}`,
    ].join('\n') + '\n',
  );
}

await main();
