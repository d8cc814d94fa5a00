import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FuzzReport, runFuzz } from '../../bench/lib/fuzz/harness';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

// The harness of `npm run fuzz` (docs/security.md), small and with a fixed seed: every invariant
// it checks holds for these 1,200 hostile inputs, so a regression fails here.
let database: TestDatabase;
let report: FuzzReport;
beforeAll(async () => {
  database = await openTestDatabase();
  report = await runFuzz({ database, cases: 1200, seed: 7, worldSize: 150, drainEvents: 50 });
}, 120_000);
afterAll(async () => {
  await database?.close();
});

describe('fuzz run (seed 7, 1,200 cases)', () => {
  it('finds no invariant failure', () => {
    expect(report.failures.map((f) => `${f.target} ${f.kind} case ${f.caseNo} (${f.count}x): ${f.problem}\n  ${f.input}`)).toEqual([]);
    expect(report.integrity.problems).toEqual([]);
  });

  it('exercised every target and both outcomes of the webhooks', () => {
    expect(report.cases).toBe(1200);
    for (const target of ['file', 'webhook', 'graphql', 'auth'] as const) expect(report.targets[target].cases, target).toBeGreaterThan(50);
    expect(report.inbox.accepted).toBeGreaterThan(100);
    expect(report.inbox.rejected).toBeGreaterThan(100);
    expect(report.files.stored).toBeGreaterThan(0);
    expect(report.files.quarantined).toBeGreaterThan(0);
    expect(report.inbox.drained).toBeGreaterThan(0);
    expect(report.targets.graphql.statuses['200']).toBeGreaterThan(100);
    expect(report.targets.auth.statuses['401']).toBeGreaterThan(10);
  });
});
