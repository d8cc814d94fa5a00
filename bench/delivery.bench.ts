/**
 * bench:delivery: change events written to the outbox at a steady rate (default 2,000 events/s,
 * 100 per transaction every 50 ms, spread over 5,000 golden ids so many have several versions in
 * flight) and delivered by the dispatcher to a subscriber on loopback that acknowledges at once.
 * Measures outbox-to-delivery latency (receipt time minus the event's created_at, the start of
 * its writing transaction) and checks that nothing is lost and order per golden id holds.
 * Embedded database by default; PostgreSQL when DATABASE_URL is set (a fresh database is created
 * and dropped, one per run). Two runs: a trickle (200 events/s for 10 s: the baseline of this
 * machine at this moment, as the machine is shared) and the target rate. Prints the figures and
 * writes them to docs/benchmarks.md; the goal is 2,000 events/s with p99 <= 1 s.
 *
 *   npm run bench:delivery -- [--rate 2000] [--seconds 20] [--no-report]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { type Database, openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { startDispatcher } from '../src/events/dispatcher';
import { addSubscriber, OPERATOR } from '../src/events/subscriber.service';
import { machineLine, writeSection } from './lib/report';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => Number(args[args.indexOf(`--${name}`) + 1] || 0) || fallback;
const RATE = arg('rate', 2000);
const SECONDS = arg('seconds', 20);
const TICK_MS = 50;
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

interface RunFigures {
  label: string;
  rate: number;
  seconds: number;
  load: number;
  written: number;
  writeSeconds: number;
  delivered: number;
  deliverSeconds: number;
  duplicates: number;
  lost: number;
  pending: number;
  outOfOrder: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

async function run(label: string, rate: number, seconds: number): Promise<RunFigures> {
  const perTick = Math.max(1, Math.round((rate * TICK_MS) / 1000));
  const load = loadavg()[0];
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
  const total = rate * seconds;
  process.stdout.write(`${label}: writing ${total} events at ${rate}/s for ${seconds} s on ${database.description} ...\n`);
  while (written < total) {
    const due = started + (written / perTick) * TICK_MS;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const rows = [];
    for (let i = 0; i < perTick && written + rows.length < total; i++) {
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
  return {
    label, rate, seconds, load, written, writeSeconds, delivered: seen.size, deliverSeconds, duplicates,
    lost: total - seen.size, pending, outOfOrder,
    p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN,
  };
}

async function main() {
  const runs = [await run('baseline: trickle', 200, 10), await run('target rate', RATE, SECONDS)];
  const ms = (v: number) => (Number.isFinite(v) ? String(Math.round(v)) : '-');
  const n = (v: number) => v.toLocaleString('en-US');
  const command = `${process.env.DATABASE_URL ? 'DATABASE_URL=... ' : ''}npm run bench:delivery -- --rate ${RATE} --seconds ${SECONDS}`;
  const rows = runs.map(
    (r) =>
      `| ${r.label} | ${n(r.rate)} | ${n(r.written)} | ${n(Math.round(r.delivered / r.deliverSeconds))} | ${r.lost} | ${r.duplicates} | ${r.outOfOrder} | ${ms(r.p50)} | ${ms(r.p90)} | **${ms(r.p99)}** | ${ms(r.max)} | ${r.load.toFixed(1)} |`,
  );
  const target = runs[1];
  const text = [
    `## Change-event delivery on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'} (\`npm run bench:delivery\`)`,
    '',
    `\`${command}\` on ${machineLine()}.`,
    `Change events are written to the outbox at a steady rate (${TICK_MS} ms ticks, one transaction each, spread over ${n(GOLDENS)} golden ids so that many have several versions in flight) and delivered by the hub's dispatcher as signed CloudEvents to a subscriber on loopback that answers 204 at once. Latency: the subscriber's receipt time minus the event's \`time\` (the start of the transaction that wrote it). Each run uses a fresh database. *load avg*: the machine's 1-minute load average before the run (2 cores, shared).`,
    '',
    '| run | offered events/s | written | delivered/s | lost | duplicates | out of order per golden id | p50 ms | p90 ms | p99 ms | max ms | load avg |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Goal: 2,000 events/s delivered, p99 outbox-to-delivery <= 1,000 ms: ${target.rate >= 2000 && target.p99 <= 1000 && target.lost === 0 ? 'met' : 'not met'} in this run.`,
  ].join('\n');
  process.stdout.write(`${text}\n`);
  if (!args.includes('--no-report')) {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..');
    writeSection(join(root, 'docs/benchmarks.md'), process.env.DATABASE_URL ? 'bench-delivery-postgres' : 'bench-delivery-pglite', text);
  }
  if (runs.some((r) => r.lost > 0 || r.outOfOrder > 0)) process.exitCode = 1;
}

await main();
