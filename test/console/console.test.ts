import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerType } from '@hono/node-server';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-key.service';
import { buildConsoleBundle } from '../../src/console/bundle';
import { resolve } from '../../src/golden-record/resolve.service';
import { plainAttributes } from '../../src/graphql/pii';
import { createApp } from '../../src/http/app';
import { startServer } from '../../src/http/server';
import { ingestFile } from '../../src/ingest/file-ingest.service';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

/**
 * The steward console end to end: a real hub on a free port with the demo world ingested and
 * resolved, driven in headless Chromium. `UPDATE_SCREENSHOTS=1` writes the screenshots to
 * docs/screenshots/ (else to a temporary directory).
 */

/** Debian's chromium (CI installs it); MDM_CHROMIUM points elsewhere on a developer machine. */
const CHROMIUM = process.env.MDM_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const DEMO = fileURLToPath(new URL('../../fixtures/demo/world.jsonl', import.meta.url));
const SHOTS = process.env.UPDATE_SCREENSHOTS ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : mkdtempSync(join(tmpdir(), 'mdm-console-shots-'));

let database: TestDatabase;
let server: ServerType;
let base: string;
let browser: Browser;
const keys: Record<'steward' | 'reader' | 'admin', string> = { steward: '', reader: '', admin: '' };
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: the console tests drive a real browser. Install it with "apt-get install -y chromium" (CI does).`);
  }
  database = await openTestDatabase();
  await ingestFile(database, { file: DEMO });
  // A file with records the hub must refuse, so the dashboard has quarantine to show.
  const dir = mkdtempSync(join(tmpdir(), 'mdm-console-'));
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, [
    JSON.stringify({ entity: 'customer', source: 'crm', kind: 'organization', name: 'No Id GmbH' }),
    JSON.stringify({ entity: 'gadget', source: 'crm', sourceId: 'X-1', name: 'Unknown entity' }),
    '{"entity": "customer", "source": "crm", "sourceId": ',
  ].join('\n') + '\n');
  await ingestFile(database, { file: bad });
  await resolve(database);
  for (const role of ['steward', 'reader', 'admin'] as const) keys[role] = (await createApiKey(database.db, { role, name: `console ${role}` })).key;
  const started = await startServer(createApp({ database }), 0);
  server = started.server;
  base = `http://127.0.0.1:${started.port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  await database?.close();
});

async function openConsole(role: keyof typeof keys, viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${role}: ${error.message}`));
  await page.goto(`${base}/console`);
  await page.getByLabel('API key').fill(keys[role]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('role').waitFor();
  return { context, page };
}

async function pendingPairs(entity = 'customer') {
  return database.db
    .selectFrom('match_pair as p')
    .innerJoin('xref as l', 'l.record_id', 'p.left_record_id')
    .innerJoin('xref as r', 'r.record_id', 'p.right_record_id')
    .select(['p.id', 'p.reason', 'p.priority', 'l.golden_id as left', 'r.golden_id as right'])
    .where('p.entity', '=', entity)
    .where('p.status', '=', 'pending')
    .orderBy('p.priority', 'desc')
    .orderBy('p.id')
    .execute();
}

async function goldenOf(recordId: string): Promise<string> {
  return (await database.db.selectFrom('xref').select('golden_id').where('record_id', '=', recordId).executeTakeFirstOrThrow()).golden_id;
}

describe('steward console in Chromium', () => {
  it('serves one small bundle and the page with a strict content security policy', async () => {
    const bundle = await buildConsoleBundle();
    expect(bundle.gzipBytes).toBeLessThan(300 * 1024);
    const page = await fetch(`${base}/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const js = await fetch(`${base}/console/app.js`);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await js.text()).length).toBe(bundle.bytes);
    const unauth = await fetch(`${base}/console/api/ops`);
    expect(unauth.status).toBe(401);
  });

  it('refuses an unknown key and signs a steward in to the queue, sorted by priority', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${base}/console`);
    await page.getByLabel('API key').fill('mdm_000000000000_not-a-real-key-at-all-000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('unknown, revoked or malformed');
    await page.getByLabel('API key').fill(keys.steward);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Match queue' }).waitFor();
    expect(await page.getByTestId('role').textContent()).toBe('steward');
    expect(await page.evaluate(() => sessionStorage.getItem('mdm.console.apiKey'))).toBe(keys.steward);

    await page.getByLabel('Entity').selectOption('CUSTOMER');
    const expected = (await pendingPairs()).map((p) => p.id);
    await expect.poll(async () => page.locator('[data-pair-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-pair-id')))).toEqual(expected);
    await page.getByTestId('pair').waitFor();
    await page.screenshot({ path: join(SHOTS, 'queue.png') });

    // j / k move the selection.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('[aria-current="true"]').getAttribute('data-pair-id')).toBe(expected[1]);
    await page.keyboard.press('k');
    await expect.poll(() => page.locator('[aria-current="true"]').getAttribute('data-pair-id')).toBe(expected[0]);
    await context.close();
  });

  it('merges a pair with m and shows the merge in the golden record and its history', async () => {
    const { context, page } = await openConsole('steward');
    await page.getByLabel('Entity').selectOption('CUSTOMER');
    // A pair without a competition demotion (a RULE row): resolution then keeps the two records together.
    const clean = await database.db.selectFrom('match_pair').select(['id', 'explanation']).where('entity', '=', 'customer').where('status', '=', 'pending').execute();
    const noRule = new Set(clean.filter((p) => !(p.explanation as unknown as Array<{ kind: string }>).some((r) => r.kind.toLowerCase() === 'rule')).map((p) => p.id));
    const pair = (await pendingPairs()).find((p) => p.reason === 'between-thresholds' && p.left !== p.right && noRule.has(p.id))!;
    const row = await database.db.selectFrom('match_pair').select(['left_record_id', 'right_record_id']).where('id', '=', pair.id).executeTakeFirstOrThrow();
    await page.locator(`[data-pair-id="${pair.id}"]`).click();
    await expect.poll(() => page.getByTestId('pair').getAttribute('aria-label')).toBe(`Pair ${pair.id}`);
    expect(await page.locator('.waterfall svg').count()).toBe(1);
    expect(await page.locator('tr.diff').count()).toBeGreaterThan(0);

    // Before deciding: the golden record the merge would produce, per attribute with its winning
    // source, and the current values of both golden records highlighted where the merge changes them.
    const preview = page.getByTestId('merge-preview');
    await expect.poll(() => preview.getAttribute('data-state')).toBe('MergePreview');
    const shown = await preview.locator('tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({
        attribute: r.getAttribute('data-attribute')!,
        after: JSON.parse(r.querySelector('td.after')!.getAttribute('data-value')!),
        wonBy: r.querySelectorAll('td')[1].textContent ?? '',
        changes: [...r.querySelectorAll('td[data-golden-id]')].map((c) => ({ goldenId: c.getAttribute('data-golden-id'), changed: c.classList.contains('chg') })),
      })),
    );
    const [leftBefore, rightBefore] = await Promise.all([goldenOf(row.left_record_id), goldenOf(row.right_record_id)]);
    const storedBefore = new Map((await database.db.selectFrom('golden_record').select(['id', 'attributes']).where('id', 'in', [leftBefore, rightBefore]).execute()).map((r) => [r.id, plainAttributes(r.attributes ?? {})]));
    expect(shown.length).toBeGreaterThan(0);
    for (const a of shown) {
      expect(a.changes.map((c) => c.goldenId).sort(), a.attribute).toEqual([leftBefore, rightBefore].sort());
      if (a.after !== null) expect(a.wonBy, a.attribute).toMatch(/^(erp|crm|fsm|steward)\//);
      for (const c of a.changes) {
        const now = storedBefore.get(c.goldenId!)![a.attribute] ?? null;
        expect(c.changed, `${a.attribute} in ${c.goldenId}`).toBe(JSON.stringify(now) !== JSON.stringify(a.after));
      }
    }
    expect(await preview.locator('td.chg').count()).toBeGreaterThan(0);
    const previewSurvivor = await preview.locator('table').getAttribute('data-survivor');
    // p takes the focus to the preview.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('p');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('If merged: the resulting golden record');
    await preview.screenshot({ path: join(SHOTS, 'merge-preview.png') });

    await page.keyboard.press('m');
    await expect.poll(() => page.getByTestId('outcome').textContent()).toContain(`Pair ${pair.id} merged into`);

    const status = await database.db.selectFrom('match_pair').select('status').where('id', '=', pair.id).executeTakeFirstOrThrow();
    expect(status.status).toBe('merged');
    const survivor = await goldenOf(row.left_record_id);
    expect(await goldenOf(row.right_record_id)).toBe(survivor);
    // The merge produced what the preview showed: the survivor and every attribute value.
    expect(survivor).toBe(previewSurvivor);
    const merged = plainAttributes((await database.db.selectFrom('golden_record').select('attributes').where('id', '=', survivor).executeTakeFirstOrThrow()).attributes ?? {});
    expect(Object.fromEntries(shown.filter((a) => a.after !== null).map((a) => [a.attribute, a.after]))).toEqual(merged);
    await expect.poll(() => page.locator(`[data-pair-id="${pair.id}"]`).count()).toBe(0);

    await page.getByTestId('outcome').getByRole('link').click();
    await page.getByTestId('record').waitFor();
    expect(await page.getByTestId('record-id').textContent()).toBe(survivor);
    await expect.poll(() => page.locator('[data-testid="history"] > li').evaluateAll((els) => els.map((e) => e.getAttribute('data-change')))).toContain('steward:merge');
    const xrefs = await page.locator('[data-testid="xrefs"] tbody tr').count();
    expect(xrefs).toBe(Number((await database.db.selectFrom('xref').select((eb) => eb.fn.countAll().as('n')).where('golden_id', '=', survivor).executeTakeFirstOrThrow()).n));
    await page.screenshot({ path: join(SHOTS, 'golden-record.png'), fullPage: true });
    await context.close();
  });

  it('marks a pair not a match with n and defers one with d', async () => {
    const { context, page } = await openConsole('steward');
    await page.getByLabel('Entity').selectOption('CUSTOMER');
    const first = (await pendingPairs()).find((p) => p.reason === 'between-thresholds' && p.left !== p.right)!;
    await page.locator(`[data-pair-id="${first.id}"]`).click();
    await page.keyboard.press('n');
    await expect.poll(() => page.getByTestId('outcome').textContent()).toContain(`Pair ${first.id} marked not a match`);
    const rejected = await database.db.selectFrom('match_pair').select(['status', 'left_record_id', 'right_record_id']).where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(rejected.status).toBe('rejected');
    expect(await goldenOf(rejected.left_record_id)).not.toBe(await goldenOf(rejected.right_record_id));
    const decision = await database.db.selectFrom('steward_decision').select(['kind', 'actor']).where('active', '=', true).where('kind', '=', 'cannot-link').execute();
    expect(decision.length).toBeGreaterThan(0);

    // Re-resolution after the decision may close other pairs: take one that is still pending.
    const second = (await pendingPairs()).find((p) => p.id !== first.id)!;
    await page.locator(`[data-pair-id="${second.id}"]`).click();
    await page.keyboard.press('d');
    await expect.poll(() => page.getByTestId('outcome').textContent()).toContain(`Pair ${second.id} deferred`);
    expect((await database.db.selectFrom('match_pair').select('status').where('id', '=', second.id).executeTakeFirstOrThrow()).status).toBe('deferred');

    // Another steward defers a pair of this list: the list marks it live (matchQueueChanged).
    await page.getByTestId('outcome').waitFor();
    await expect.poll(() => page.locator(`[data-pair-id="${second.id}"]`).count()).toBe(0);
    const third = (await pendingPairs()).find((p) => p.id !== second.id)!;
    await expect.poll(() => page.locator(`[data-pair-id="${third.id}"]`).count()).toBe(1);
    await page.waitForTimeout(800); // the subscription polls every 500 ms; let it see the current watermark first
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.admin}` },
      body: JSON.stringify({ query: `mutation($id: ID!) { deferPair(pairId: $id, reason: "later") { __typename } }`, variables: { id: third.id } }),
    });
    expect(((await res.json()) as any).data.deferPair.__typename).toBe('DeferPairSuccess');
    await expect.poll(() => page.locator(`[data-pair-id="${third.id}"] [data-testid="changed-elsewhere"]`).textContent(), { timeout: 10_000 }).toContain('now deferred');
    await context.close();
  });

  it('splits a source record out of a golden record and shows the new version', async () => {
    const candidates = await database.db
      .selectFrom('xref')
      .select(['golden_id'])
      .select((eb) => eb.fn.countAll().as('n'))
      .where('entity', '=', 'customer')
      .groupBy('golden_id')
      .having((eb) => eb.fn.countAll(), '=', 3)
      .orderBy('golden_id')
      .execute();
    const goldenId = candidates[0].golden_id;
    const members = await database.db.selectFrom('xref').select(['record_id', 'source', 'source_id']).where('golden_id', '=', goldenId).orderBy('source').orderBy('source_id').execute();
    const out = members[members.length - 1];
    const before = (await database.db.selectFrom('golden_record').select('version').where('id', '=', goldenId).executeTakeFirstOrThrow()).version;

    const { context, page } = await openConsole('steward');
    await page.goto(`${base}/console#/record/${goldenId}`);
    await page.getByTestId('record').waitFor();
    expect(await page.getByTestId('record-version').textContent()).toBe(String(before));
    await page.getByLabel(`Select ${out.source} ${out.source_id} for split`).check();
    await page.getByRole('button', { name: 'Split selected out (1)' }).click();
    await expect.poll(() => page.getByTestId('outcome').textContent()).toContain('Split: the selected records now form');
    const newId = await goldenOf(out.record_id);
    expect(newId).not.toBe(goldenId);
    expect(await page.getByTestId('outcome').textContent()).toContain(newId);
    await expect.poll(() => page.getByTestId('record-version').textContent()).not.toBe(String(before));
    await expect.poll(() => page.locator('[data-testid="xrefs"] tbody tr').count()).toBe(members.length - 1);
    const changes = await page.locator('[data-testid="history"] > li').evaluateAll((els) => els.map((e) => e.getAttribute('data-change')));
    expect(changes).toContain('steward:split');

    // The record split off knows where it came from.
    await page.goto(`${base}/console#/record/${newId}`);
    await expect.poll(() => page.getByTestId('record-id').textContent()).toBe(newId);
    expect(await page.locator('[data-testid="xrefs"] tbody tr').count()).toBe(1);
    await context.close();
  });

  it('shows a conflict when someone else changed the record, then locks it after a reload', async () => {
    const goldenId = (await database.db.selectFrom('golden_record').select('id').where('entity', '=', 'product').where('status', '=', 'active').orderBy('id').executeTakeFirstOrThrow()).id;
    const { context, page } = await openConsole('steward');
    await page.goto(`${base}/console#/record/${goldenId}`);
    await page.getByTestId('record').waitFor();
    // Another steward overrides an attribute meanwhile.
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.admin}` },
      body: JSON.stringify({ query: `mutation($id: ID!) { pinAttribute(goldenId: $id, attribute: "name", value: "Renamed meanwhile") { __typename } }`, variables: { id: goldenId } }),
    });
    expect(((await res.json()) as any).data.pinAttribute.__typename).toBe('PinAttributeSuccess');
    // The page hears of it live (goldenRecordChanged) ...
    await expect.poll(() => page.getByTestId('changed-elsewhere').textContent(), { timeout: 10_000 }).toContain('This record changed meanwhile');
    // ... and an action on the old version is refused as a conflict, not applied over the change.
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await expect.poll(() => page.getByTestId('outcome').textContent()).toContain('someone else changed this record');
    await page.screenshot({ path: join(SHOTS, 'conflict.png') });
    await page.getByTestId('outcome').getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => page.locator('tr[data-attribute="name"] td').first().textContent()).toBe('Renamed meanwhile');
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await expect.poll(() => page.getByTestId('outcome').textContent()).toContain('is locked against automatic change');
    expect((await database.db.selectFrom('golden_record').select('locked').where('id', '=', goldenId).executeTakeFirstOrThrow()).locked).toBe(true);
    await page.getByRole('button', { name: 'Unlock', exact: true }).waitFor();
    await context.close();
  });

  it('lets a reader look but not act; the server refuses a reader anyway', async () => {
    const { context, page } = await openConsole('reader');
    await page.getByRole('heading', { name: 'Find golden records' }).waitFor();
    expect(await page.getByRole('link', { name: 'Match queue' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Operations' }).count()).toBe(0);
    await page.goto(`${base}/console#/queue`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('may not open this page');

    const goldenId = (await database.db.selectFrom('xref').select('golden_id').where('entity', '=', 'customer').where('source', '=', 'erp').orderBy('golden_id').executeTakeFirstOrThrow()).golden_id;
    await page.goto(`${base}/console#/record/${goldenId}`);
    await page.getByTestId('record').waitFor();
    expect(await page.getByText('Read-only: steward actions need a steward key.').count()).toBe(1);
    for (const name of ['Lock', 'Unlock', 'Move', /^Split/, /^Pin or override/]) expect(await page.getByRole('button', { name, exact: typeof name === 'string' }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);

    const forbidden = await page.evaluate(async ({ key, id }) => {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: `mutation($id: ID!) { lock(goldenId: $id, locked: true) { __typename } }`, variables: { id } }),
      });
      const ops = await fetch('/console/api/ops', { headers: { authorization: `Bearer ${key}` } });
      return { typename: (await res.json()).data.lock.__typename, ops: ops.status };
    }, { key: keys.reader, id: goldenId });
    expect(forbidden).toEqual({ typename: 'Forbidden', ops: 403 });
    await context.close();
  });

  it('finds golden records by source id and by attributes', async () => {
    const { context, page } = await openConsole('steward');
    await page.goto(`${base}/console#/search`);
    await page.getByRole('heading', { name: 'Find golden records' }).waitFor();
    await page.getByLabel('Source id').fill('1000000');
    await page.getByRole('button', { name: 'Translate' }).click();
    const golden = await database.db.selectFrom('xref').select('golden_id').where('entity', '=', 'customer').where('source', '=', 'erp').where('source_id', '=', '1000000').executeTakeFirstOrThrow();
    await expect.poll(() => page.getByTestId('translation').textContent()).toContain(golden.golden_id);
    await page.getByLabel('name', { exact: true }).fill('Kaiser Metallbau GmbH');
    await page.getByLabel('taxId', { exact: true }).fill('DE 842 046 798');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.getByTestId('candidates').locator('tbody tr').first().textContent()).toContain(golden.golden_id);
    await page.screenshot({ path: join(SHOTS, 'search.png'), fullPage: true });
    await context.close();
  });

  it('shows the operations dashboard to an admin', async () => {
    const { context, page } = await openConsole('admin');
    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByTestId('ops').waitFor();
    const quarantined = Number((await database.db.selectFrom('quarantine').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(quarantined).toBeGreaterThan(0);
    expect(await page.getByTestId('ops-quarantine').locator('.big').textContent()).toBe(String(quarantined));
    expect(await page.getByTestId('quarantine').locator('tbody tr').count()).toBeGreaterThan(0);
    const pending = Number((await database.db.selectFrom('match_pair').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()).n);
    expect(await page.getByTestId('ops-pending').locator('.big').textContent()).toBe(pending.toLocaleString('en'));
    expect(await page.getByTestId('queue-depth').locator('tbody th', { hasText: 'customer' }).count()).toBe(1);
    expect(await page.getByTestId('runs').locator('tbody tr').count()).toBe(2);
    expect(await page.getByTestId('sources').locator('tbody th').allTextContents()).toEqual(['crm', 'erp', 'fsm']);
    expect(await page.locator('.chart svg rect.bar').count()).toBe(24);
    await page.screenshot({ path: join(SHOTS, 'operations.png'), fullPage: true });
    await context.close();
  });

  it('labels every control and fits a narrow window', async () => {
    const { context, page } = await openConsole('steward', { width: 390, height: 844 });
    await page.getByRole('heading', { name: 'Match queue' }).waitFor();
    await page.getByTestId('pair').waitFor();
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea, button')]
        .filter((el) => !(el.getAttribute('aria-label') || (el as HTMLInputElement).labels?.length || (el.tagName === 'BUTTON' && el.textContent?.trim())))
        .map((el) => el.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'queue-narrow.png') });
    // A page takes the focus on its heading; Tab then goes on in reading order (the filters first).
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Match queue');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.labels?.[0]?.textContent?.startsWith('Entity'))).toBe(true);
    // The skip link is the first stop of the page.
    expect(await page.evaluate(() => document.querySelector('a[href], button, input, select')?.textContent)).toBe('Skip to content');
    await context.close();
  });

  it('raised no script error in the browser', () => {
    expect(pageErrors).toEqual([]);
  });
});
