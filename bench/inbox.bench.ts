/**
 * bench:inbox: the inbox worker's own throughput, without HTTP or a load generator: events stored
 * in the inbox of a clone of a resolved hub, then processed batch after batch by one in-process
 * worker (store, real-time resolution, golden records, cross-references, history, outbox). Node
 * CPU and the CPU of the worker's PostgreSQL backends per event tell where the cost is; with
 * `--compare DIR` (a checkout of another commit, its node_modules linked) both versions process
 * the same events on fresh clones, taking turns, in the same run.
 *
 *   DATABASE_URL=postgresql://... npm run bench:inbox -- --template mdm_bench_1m
 *       [--events 3000] [--batch 100] [--rounds 2] [--compare DIR] [--entities customer,asset]
 *
 * `--entities`: the entity types of the records (customer, asset or both); a run of other types than
 * both writes a section of its own.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from './lib/datasets';
import { flag, opt } from './lib/args';
import { machineLine, writeSection } from './lib/report';

const template = opt('template');
const events = Number(opt('events') ?? 3000);
const batch = Number(opt('batch') ?? 100);
const rounds = Number(opt('rounds') ?? 2);
const compare = opt('compare');
const entities = (opt('entities') ?? 'customer,asset').split(',').map((e) => e.trim()).filter(Boolean);
if (entities.length === 0 || entities.some((e) => e !== 'customer' && e !== 'asset')) {
  console.error(`--entities ${opt('entities')}: give customer, asset or customer,asset`);
  process.exit(2);
}
const mixed = entities.includes('customer') && entities.includes('asset');
const baseUrl = process.env.DATABASE_URL;
if (!baseUrl || !template) {
  console.error('bench:inbox runs on PostgreSQL with a resolved hub to clone: DATABASE_URL=postgresql://... npm run bench:inbox -- --template mdm_bench_1m');
  process.exit(2);
}

function urlOf(name: string): string {
  const u = new URL(baseUrl!);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

interface Figures { processed: number; seconds: number; perSecond: number; batchP50: number; batchMax: number; cpuMsPerEvent: number; pgCpuMsPerEvent: number }

/** The commit a checkout holds, to name it in the report. */
const revisionOf = (dir: string) => spawnSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || dir;
const variants = [
  { label: `this version (${revisionOf(PROJECT_ROOT)})`, code: PROJECT_ROOT },
  ...(compare ? [{ label: `compared: ${revisionOf(resolve(compare))}`, code: resolve(compare) }] : []),
];
const results = new Map<string, Figures[]>(variants.map((v) => [v.label, []]));

for (let round = 0; round < rounds; round++) {
  for (const v of round % 2 === 0 ? variants : [...variants].reverse()) {
    const name = `mdm_bench_inbox_${process.pid}`;
    await admin(`DROP DATABASE IF EXISTS ${name}`);
    await admin(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'bench/lib/inbox-run.ts'), '--code', v.code, '--events', String(events), '--batch', String(batch), '--entities', entities.join(',')], {
        cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: urlOf(name), LOG_LEVEL: 'warn' }, encoding: 'utf8', maxBuffer: 1 << 26,
      });
      if (run.status !== 0) throw new Error(`${v.label}: the run failed (${run.status}): ${run.stderr.slice(-2000)}`);
      const figures = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Figures;
      results.get(v.label)!.push(figures);
      console.log(`round ${round + 1}, ${v.label}: ${figures.processed} events in ${figures.seconds.toFixed(1)} s = ${figures.perSecond.toFixed(0)}/s; batch p50 ${figures.batchP50.toFixed(0)} ms; CPU per event ${figures.cpuMsPerEvent.toFixed(2)} ms node, ${figures.pgCpuMsPerEvent.toFixed(2)} ms PostgreSQL`);
    } finally {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = variants.map((v) => {
  const r = results.get(v.label)!;
  return `| ${v.label} | ${r.map((x) => x.perSecond.toFixed(0)).join(', ')} | ${median(r.map((x) => x.batchP50)).toFixed(0)} | ${median(r.map((x) => x.cpuMsPerEvent)).toFixed(2)} | ${median(r.map((x) => x.pgCpuMsPerEvent)).toFixed(2)} |`;
});
const table = ['| version | events/s per round | batch p50 ms | node CPU ms/event | PostgreSQL CPU ms/event |', '|---|---:|---:|---:|---:|', ...rows].join('\n');
console.log(table);
if (!flag('no-write')) {
  const what = mixed ? 'customers and assets' : `${entities[0]}s only`;
  writeSection(join(PROJECT_ROOT, 'docs/benchmarks.md'), mixed ? 'bench-inbox' : `bench-inbox-${entities[0]}`, `## Inbox worker throughput${mixed ? '' : `, ${what}`} (\`npm run bench:inbox\`)

\`DATABASE_URL=... npm run bench:inbox -- --template ${template} --events ${events} --batch ${batch} --rounds ${rounds}${compare ? ' --compare DIR' : ''}${mixed ? '' : ` --entities ${entities[0]}`}\` on ${machineLine()}.
${events.toLocaleString('en-US')} CloudEvent records (${what}: half new records under new ids, half changed versions of stored ones, a customer with a new phone, which is match evidence, an asset with a new status, which is not; the same records in every run) stored in the inbox of a fresh clone of ${template}, then processed by one in-process inbox worker in batches of ${batch}: records stored, resolved in real time, golden records, cross-references, history and outbox written. No HTTP, no load generator: the worker's own cost. PostgreSQL CPU is that of the worker's connections.${compare ? ' Versions take turns on fresh clones, in the same run.' : ''}

${table}
`);
}
