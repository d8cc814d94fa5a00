/**
 * bench:golden: one source record changes, and its golden record, history, cross-references and
 * outbox are updated, on PostgreSQL with a resolved hub of 1M records, measured in process.
 *
 * A clone of the resolved hub of `--size` records (bench/lib/resolved-hub.ts, built when missing;
 * the clone is dropped at the end). For each of `--changes` records, drawn at random (`--seed`)
 * evenly over the six entity types, one attribute changes as it does in a manufacturer's day (a
 * customer's second address line, a product's price, a serial's plant, an asset's status, a
 * contract's end date, a location's coordinates); the new version is stored with the upsert every
 * ingest path uses (`storeRecords`) and resolved as the inbox worker resolves it (entity lock,
 * `resolveRecordsNow`), one change at a time. Wall milliseconds per step: *store*, *neighbourhood*
 * (the record, its golden record, key candidates and their members, steward decisions),
 * *match* (the matching pipeline over the neighbourhood), *plan* (golden ids, survivorship, events),
 * *write* (golden records, history rows, cross-references, moves, record links, outbox and review
 * queue in one transaction), and the *total* from store to commit. Baseline in the same run, on the
 * same pool: an empty transaction (`BEGIN; SELECT 1; COMMIT`).
 *
 *   DATABASE_URL=postgresql://... npm run bench:golden [-- --size 1000000] [--changes 600] [--seed 7] [--no-write]
 *       [--template NAME]   clone this resolved database instead (never changed)
 */
import { sql } from 'kysely';
import type { EntityType } from '../src/core/entities';
import { openDatabase } from '../src/db/database';
import { withEntityLock } from '../src/golden-record/entity-lock';
import { resolveRecordsNow } from '../src/golden-record/realtime-resolve';
import { contentHash, validateCanonical } from '../src/ingest/canonical-record';
import { storeRecords } from '../src/ingest/source-record.repository';
import { mulberry32 } from '../src/matching/scoring/random';
import { join } from 'node:path';
import { PROJECT_ROOT } from './lib/datasets';
import { machineLine, writeSection } from './lib/report';
import { databaseUrl, ensureResolvedHub, withClient } from './lib/resolved-hub';
import { flag, opt } from './lib/args';

const size = Number(opt('size') ?? 1_000_000);
const changes = Number(opt('changes') ?? 600);
const seed = Number(opt('seed') ?? 7);
const write = !flag('no-write');
/** A resolved database to clone instead of the resolved hub of `--size` (bench/lib/resolved-hub.ts). */
const template = opt('template');
const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.error('bench:golden runs on PostgreSQL: set DATABASE_URL (for example postgresql://postgres@127.0.0.1:5432/postgres)');
  process.exit(2);
}

const ENTITIES: EntityType[] = ['customer', 'product', 'serial', 'asset', 'contract', 'location'];

/** The edit made to a record of each entity type; `k` makes each edit a new value. */
const CHANGE: Record<EntityType, (attributes: Record<string, unknown>, k: number) => Record<string, unknown>> = {
  customer: (a, k) => ({ ...a, addressLine2: `Building ${k % 40 + 1}, gate ${k}` }),
  product: (a, k) => ({ ...a, price: Math.round((Number(a.price ?? 100) * 1.03 + k / 100) * 100) / 100 }),
  serial: (a, k) => ({ ...a, plant: `P${1000 + (k % 900)}` }),
  asset: (a, k) => ({ ...a, status: k % 2 === 0 ? 'under repair' : 'in service' }),
  contract: (a, k) => {
    const end = typeof a.endDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(a.endDate) ? a.endDate : '2026-12-31';
    const next = new Date(`${end}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 365 + (k % 7));
    return { ...a, endDate: next.toISOString().slice(0, 10) };
  },
  location: (a, k) => ({ ...a, latitude: Number(a.latitude ?? 48) + (k % 97) / 1e5, longitude: Number(a.longitude ?? 9) - (k % 89) / 1e5 }),
};

const STEPS = ['store', 'neighbourhood', 'match', 'plan', 'write', 'total'] as const;
type Step = (typeof STEPS)[number];

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (v: number) => (Number.isNaN(v) ? '-' : v < 10 ? v.toFixed(2) : v.toFixed(1));

const hub = template ? undefined : await ensureResolvedHub({ size });
const source = template ?? hub!.name;
const clone = `mdm_golden_bench_${process.pid}`;
const started = performance.now();
await withClient(baseUrl, (c) => c.query(`CREATE DATABASE ${clone} TEMPLATE ${source}`));
const cloneSeconds = (performance.now() - started) / 1000;
console.log(`cloned ${source} in ${cloneSeconds.toFixed(1)} s`);
const database = await openDatabase({ databaseUrl: databaseUrl(clone), poolSize: 4 });

try {
  // The sample: records of each type drawn at random (a seeded order over their ids).
  const random = mulberry32(seed);
  const perType = Math.ceil(changes / ENTITIES.length);
  const sample: Array<{ id: string; entity: EntityType; source: string; source_id: string; attributes: Record<string, unknown> }> = [];
  for (const entity of ENTITIES) {
    const { rows } = await sql<{ id: string }>`SELECT id::text FROM source_record WHERE entity = ${entity} AND NOT deleted`.execute(database.db);
    const picked = new Set<string>();
    while (picked.size < Math.min(perType, rows.length)) picked.add(rows[Math.floor(random() * rows.length)].id);
    const { rows: records } = await sql<{ id: string; source: string; source_id: string; attributes: Record<string, unknown> }>`
      SELECT id::text, source, source_id, attributes FROM source_record WHERE id = ANY(${[...picked]}::bigint[])`.execute(database.db);
    for (const r of records) sample.push({ ...r, entity });
  }
  // Interleave the types, so that no type's run of changes meets a warmer cache than another's.
  sample.sort((a, b) => ENTITIES.indexOf(a.entity) - ENTITIES.indexOf(b.entity) || a.id.localeCompare(b.id));
  const order = sample.map((_, i) => i).sort((a, b) => (a % perType) - (b % perType) || a - b);

  const { rows: [counts] } = await sql<{ records: number; goldens: number }>`
    SELECT (SELECT count(*)::int FROM source_record WHERE NOT deleted) AS records,
           (SELECT count(*)::int FROM golden_record WHERE status = 'active') AS goldens`.execute(database.db);

  // Baseline: an empty transaction on the same pool.
  const baseline: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await database.db.transaction().execute((trx) => sql`SELECT 1`.execute(trx));
    baseline.push(performance.now() - t);
  }

  const figures = new Map<string, Record<Step, number[]>>();
  const add = (key: string, step: Step, value: number) => {
    const f = figures.get(key) ?? (Object.fromEntries(STEPS.map((s) => [s, []])) as unknown as Record<Step, number[]>);
    f[step].push(value);
    figures.set(key, f);
  };
  const outcome = { updated: 0, created: 0, merged: 0, retired: 0, attached: 0, detached: 0, events: 0 };
  for (const [k, i] of order.entries()) {
    const r = sample[i];
    const input = { entity: r.entity, source: r.source, sourceId: r.source_id, updatedAt: new Date().toISOString(), ...CHANGE[r.entity](r.attributes, k) };
    const v = validateCanonical(input);
    if (!v.ok) throw new Error(`change ${k} of ${r.entity} ${r.source}/${r.source_id} does not validate: ${v.reason}`);
    const t0 = performance.now();
    const stored = await storeRecords(database, [{ record: v.record, hash: contentHash(v.record) }], null);
    if (stored.updated !== 1) throw new Error(`change ${k} of ${r.entity} ${r.source}/${r.source_id} was not stored as an update: ${JSON.stringify(stored)}`);
    const t1 = performance.now();
    let last = t1;
    const steps: Partial<Record<Step, number>> = { store: t1 - t0 };
    const result = await withEntityLock(database, r.entity, () =>
      resolveRecordsNow(database, r.entity, [r.id], {
        onPhase: (phase) => {
          const now = performance.now();
          steps[phase] = now - last;
          last = now;
        },
      }),
    );
    const total = performance.now() - t0;
    for (const key of Object.keys(outcome) as Array<keyof typeof outcome>) outcome[key] += result[key];
    for (const key of [r.entity, 'all']) {
      for (const step of STEPS) if (step !== 'total') add(key, step, steps[step] ?? 0);
      add(key, 'total', total);
    }
  }

  const rows = ['all', ...ENTITIES].map((key) => {
    const f = figures.get(key)!;
    const cells = STEPS.map((step) => `${ms(percentile(f[step], 50))} / ${ms(percentile(f[step], 99))}`);
    return `| ${key} | ${f.total.length} | ${cells.join(' | ')} |`;
  });
  const all = figures.get('all')!;
  const body = [
    '## One record changed -> golden record updated (`npm run bench:golden`)',
    '',
    `\`DATABASE_URL=... npm run bench:golden -- ${template ? `--template ${template}` : `--size ${size}`} --changes ${changes} --seed ${seed}\` on ${machineLine()}.`,
    `A clone of ${source} (${counts.records.toLocaleString('en-US')} source records, ${counts.goldens.toLocaleString('en-US')} active golden records; cloned in ${cloneSeconds.toFixed(1)} s). ` +
      `${sample.length} records drawn at random, evenly over the six entity types, each changed once (a customer's second address line, a product's price, a serial's plant, an asset's status, a contract's end date, a location's coordinates), one change at a time, in process: ` +
      'the new version stored with the upsert of every ingest path, then resolved as the inbox worker does it (entity lock, `resolveRecordsNow`). ' +
      '*write* is the one transaction that updates golden records, history, cross-references, moves, record links, outbox and review queue; *total* runs from the store to that commit.',
    '',
    `Baseline in the same run, same pool: an empty transaction (BEGIN; SELECT 1; COMMIT) p50 ${ms(percentile(baseline, 50))} ms, p99 ${ms(percentile(baseline, 99))} ms.`,
    '',
    '| entity | changes | store ms p50 / p99 | neighbourhood | match | plan | **write** | **total** |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Over the ${sample.length} changes: golden records updated ${outcome.updated}, created ${outcome.created}, merged ${outcome.merged}, retired ${outcome.retired}; cross-references attached ${outcome.attached}, detached ${outcome.detached}; outbox events ${outcome.events}. Write p95 ${ms(percentile(all.write, 95))} ms, max ${ms(Math.max(...all.write))} ms; total p95 ${ms(percentile(all.total, 95))} ms, max ${ms(Math.max(...all.total))} ms.`,
    '',
    'Goal (golden record issue): a single-record change updates its golden record, history and outbox in one transaction in well under 20 ms on PostgreSQL.',
  ].join('\n');
  console.log(body);
  if (write) writeSection(join(PROJECT_ROOT, 'docs', 'benchmarks.md'), 'bench-golden', body);
} finally {
  await database.close();
  await withClient(baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${clone} WITH (FORCE)`));
}

