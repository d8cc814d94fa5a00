/**
 * bench:console: how long the steward console takes to show the match queue and a large golden
 * record page when the hub holds a resolved world (default 1,000,000 source records; built once by
 * bench/lib/resolved-hub.ts and reused), in headless Chromium (playwright-core, /usr/bin/chromium).
 *
 * The hub is `mdm serve` in a child process. A steward key is in the tab's sessionStorage (as after
 * signing in), so each measured run is: navigate to the page -> HTML, CSS and the bundle ->
 * session check and the schema capabilities -> the page's own query -> rendered. A run ends when
 *  - queue: the list shows pairs and the first pair's comparison is rendered (the merge preview,
 *    loaded after it, is reported separately);
 *  - golden record: the record with its cross-references, relationships and history is rendered.
 * Every run opens a new browser context (no HTTP cache). The bundle is built once before the runs
 * (its first build is reported). Writes docs/benchmarks.md (section bench-console).
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:55432/postgres npm run bench:console [-- --size 1000000] [--runs 7] [--no-write]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type Browser, chromium, type Page } from 'playwright-core';
import { PROJECT_ROOT } from './lib/datasets';
import { createKey, type Hub, revokeKey, startHub } from './lib/hub-server';
import { machineLine, writeSection } from './lib/report';
import { describeHub, ensureResolvedHub } from './lib/resolved-hub';
import { flag, opt } from './lib/args';

const size = Number(opt('size') ?? 1_000_000);
const runs = Number(opt('runs') ?? 7);
const write = !flag('no-write');

const CHROMIUM = process.env.MDM_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const KEY_STORAGE = 'mdm.console.apiKey';

interface Run {
  ms: number;
  /** Then the merge preview (queue only). */
  previewMs?: number;
  /** Slowest /graphql request of the run (browser's timing, request start to response end). */
  slowestApiMs: number;
  apiCalls: number;
}

async function largeRecord(url: string): Promise<{ id: string; assets: number; xrefs: number; contracts: number; pending: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query(`
      SELECT tx.golden_id AS id, count(DISTINCT fx.golden_id)::int AS assets
      FROM record_link l
      JOIN xref fx ON fx.record_id = l.record_id AND fx.entity = 'asset'
      JOIN xref tx ON tx.entity = l.target_entity AND tx.source = l.target_source AND tx.source_id = l.target_source_id
      WHERE l.relation = 'customer' AND l.target_entity = 'customer'
      GROUP BY tx.golden_id ORDER BY assets DESC, tx.golden_id LIMIT 1`);
    const id = rows[0].id as string;
    const n = async (q: string, p: unknown[] = []) => Number((await c.query(q, p)).rows[0].n);
    return {
      id,
      assets: rows[0].assets,
      xrefs: await n(`SELECT count(*) AS n FROM xref WHERE golden_id = $1`, [id]),
      contracts: await n(
        `SELECT count(DISTINCT fx.golden_id) AS n FROM record_link l JOIN xref fx ON fx.record_id = l.record_id AND fx.entity = 'contract'
         JOIN xref tx ON tx.entity = l.target_entity AND tx.source = l.target_source AND tx.source_id = l.target_source_id
         WHERE l.relation = 'customer' AND tx.golden_id = $1`,
        [id],
      ),
      pending: await n(`SELECT count(*) AS n FROM match_pair WHERE status = 'pending'`),
    };
  } finally {
    await c.end();
  }
}

/** Times one navigation until `ready` resolves, with the /graphql requests it made. */
async function timed(browser: Browser, base: string, key: string, path: string, ready: (page: Page) => Promise<void>, after?: (page: Page) => Promise<void>): Promise<Run> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(([k, v]) => sessionStorage.setItem(k, v), [KEY_STORAGE, key] as const);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const api: Array<Promise<number>> = [];
  page.on('requestfinished', (request) => {
    if (!request.url().endsWith('/graphql') || request.headers().accept === 'text/event-stream') return;
    api.push(Promise.resolve(request.timing()).then((t) => t.responseEnd - t.requestStart));
  });
  try {
    const started = performance.now();
    await page.goto(`${base}${path}`);
    await ready(page);
    const ms = performance.now() - started;
    let previewMs: number | undefined;
    if (after) {
      await after(page);
      previewMs = performance.now() - started;
    }
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    const times = await Promise.all(api);
    return { ms, previewMs, slowestApiMs: Math.max(0, ...times), apiCalls: times.length };
  } finally {
    await context.close();
  }
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: s[Math.floor((s.length - 1) / 2)], max: s.at(-1)! };
};
const ms = (x: number) => x.toFixed(0);

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: install it with "apt-get install -y chromium" or set MDM_CHROMIUM`);
  const hub = await ensureResolvedHub({ size });
  console.log(describeHub(hub));
  const record = await largeRecord(hub.url);
  console.log(`large golden record ${record.id}: ${record.assets} installed assets, ${record.contracts} contracts, ${record.xrefs} cross-references; ${record.pending} pending pairs in the queue`);
  const { key, id: keyId } = createKey(hub.url, 'steward', 'bench:console');
  let server: Hub | undefined;
  let browser: Browser | undefined;
  try {
    server = await startHub({ databaseUrl: hub.url });
    const base = `http://127.0.0.1:${server.port}`;
    const t0 = performance.now();
    const bundle = await fetch(`${base}/console/app.js`);
    const bundleBytes = (await bundle.arrayBuffer()).byteLength;
    const bundleMs = performance.now() - t0;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });

    const queueReady = async (page: Page) => {
      await page.locator('[data-pair-id]').first().waitFor({ timeout: 60_000 });
      await page.getByTestId('pair').waitFor({ timeout: 60_000 });
    };
    const previewShown = async (page: Page) => {
      const preview = page.getByTestId('merge-preview');
      if ((await preview.count()) === 0) return;
      await page.waitForFunction(() => document.querySelector('[data-testid="merge-preview"]')?.getAttribute('data-state') !== 'loading', undefined, { timeout: 60_000 });
    };
    const recordReady = async (page: Page) => {
      await page.getByTestId('record').waitFor({ timeout: 60_000 });
      await page.locator('[data-testid="xrefs"] tbody tr').first().waitFor({ timeout: 60_000 });
      await page.getByTestId('relationships').waitFor({ timeout: 60_000 });
      await page.locator('[data-testid="history"] > li').first().waitFor({ timeout: 60_000 });
    };
    // One unmeasured run of each: the server's first queries (plans, caches) and Chromium's start.
    await timed(browser, base, key, '/console#/queue', queueReady);
    await timed(browser, base, key, `/console#/record/${record.id}`, recordReady);
    const queue: Run[] = [];
    const page: Run[] = [];
    for (let i = 0; i < runs; i++) {
      queue.push(await timed(browser, base, key, '/console#/queue', queueReady, previewShown));
      page.push(await timed(browser, base, key, `/console#/record/${record.id}`, recordReady));
      console.log(`run ${i + 1}: queue ${ms(queue[i].ms)} ms (merge preview ${queue[i].previewMs ? ms(queue[i].previewMs!) : 'n/a'} ms, slowest API ${ms(queue[i].slowestApiMs)} ms), golden record ${ms(page[i].ms)} ms (slowest API ${ms(page[i].slowestApiMs)} ms)`);
    }
    const rss = server.peakRssMb();
    const q = stats(queue.map((r) => r.ms));
    const qp = queue.every((r) => r.previewMs !== undefined) ? stats(queue.map((r) => r.previewMs!)) : null;
    const qa = stats(queue.map((r) => r.slowestApiMs));
    const g = stats(page.map((r) => r.ms));
    const ga = stats(page.map((r) => r.slowestApiMs));
    const body = `## Steward console at scale (\`npm run bench:console\`)

\`DATABASE_URL=... npm run bench:console -- --size ${size} --runs ${runs}\` on ${machineLine()}.
Database: ${describeHub(hub)}; ${record.pending.toLocaleString('en-US')} pending pairs in the queue.
Headless Chromium (playwright-core, /usr/bin/chromium) with a steward key in the tab's session; each run opens a new browser context (no HTTP cache) and is timed from navigation to rendered: HTML, CSS and the ${(bundleBytes / 1024).toFixed(0)} KB bundle, session check, schema capabilities, the page's query, render. The hub built the bundle on its first request in ${ms(bundleMs)} ms (before the runs); one unmeasured run of each page came first.
Queue: all entity types, the first page of 100 pending pairs, until the list and the first pair's comparison are shown${qp ? '; then its merge preview' : ''}. Golden record: the customer with the most installed assets, ${record.id} (${record.assets} installed assets, ${record.contracts} contract${record.contracts === 1 ? '' : 's'}, ${record.xrefs} cross-references), until attributes, cross-references, relationships (up to 50 assets) and history are shown.

| page | target | runs | p50 ms | max ms | slowest API call p50 / max ms |
|---|---|---:|---:|---:|---:|
| match queue | < 1,000 ms | ${runs} | **${ms(q.p50)}** | ${ms(q.max)} | ${ms(qa.p50)} / ${ms(qa.max)} |
${qp ? `| match queue with merge preview | | ${runs} | ${ms(qp.p50)} | ${ms(qp.max)} | |\n` : ''}| golden record page | < 1,000 ms | ${runs} | **${ms(g.p50)}** | ${ms(g.max)} | ${ms(ga.p50)} / ${ms(ga.max)} |

Hub peak RSS ${rss.toFixed(0)} MB.`;
    console.log(`\n${body}`);
    if (write) writeSection(join(PROJECT_ROOT, 'docs/benchmarks.md'), 'bench-console', body);
  } finally {
    await browser?.close();
    await server?.stop();
    revokeKey(hub.url, keyId);
  }
}

await main();
