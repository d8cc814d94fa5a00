import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database';
import { cronMatches, nextCronTime, parseCron, startScheduler } from '../../src/ingest/schedule';
import { parseSourcesConfig, type SourcesConfig } from '../../src/ingest/sources-config';

const at = (iso: string) => new Date(iso);

describe('cron matcher', () => {
  it('matches steps, ranges, lists and names', () => {
    expect(cronMatches(parseCron('*/5 * * * *'), at('2026-03-01T10:15:00Z'))).toBe(true);
    expect(cronMatches(parseCron('*/5 * * * *'), at('2026-03-01T10:16:00Z'))).toBe(false);
    expect(cronMatches(parseCron('0 2 * * *'), at('2026-03-01T02:00:00Z'))).toBe(true);
    expect(cronMatches(parseCron('0 2 * * *'), at('2026-03-01T03:00:00Z'))).toBe(false);
    expect(cronMatches(parseCron('30 8-18/2 * * mon-fri'), at('2026-03-02T10:30:00Z'))).toBe(true); // a Monday
    expect(cronMatches(parseCron('30 8-18/2 * * mon-fri'), at('2026-03-01T10:30:00Z'))).toBe(false); // a Sunday
    expect(cronMatches(parseCron('0 0 1,15 jan,jul *'), at('2026-07-15T00:00:00Z'))).toBe(true);
    expect(cronMatches(parseCron('0 0 * * 7'), at('2026-03-01T00:00:00Z'))).toBe(true); // 7 = Sunday
    // Both day fields restricted: either matches (classic cron).
    expect(cronMatches(parseCron('0 0 13 * fri'), at('2026-03-06T00:00:00Z'))).toBe(true);
  });

  it('finds the next time and rejects bad expressions with the field named', () => {
    expect(nextCronTime(parseCron('0 2 * * *'), at('2026-03-01T02:00:00Z'))?.toISOString()).toBe('2026-03-02T02:00:00.000Z');
    expect(() => parseCron('* * * *')).toThrow(/5 fields/);
    expect(() => parseCron('61 * * * *')).toThrow(/minute "61" is out of range 0-59/);
    expect(() => parseCron('* * * * funday')).toThrow(/day-of-week "funday" is not a number/);
  });
});

describe('sources config', () => {
  const valid = {
    sources: [
      { name: 'erp', kind: 'sap', baseUrl: 'https://s4.example.com', auth: { type: 'basic', username: 'U', passwordEnv: 'ERP_PASSWORD' }, schedules: [{ mode: 'full', cron: '0 2 * * *' }, { mode: 'delta', cron: '*/5 * * * *' }] },
      { name: 'crm', kind: 'salesforce', baseUrl: 'https://acme.my.salesforce.com', auth: { type: 'oauth-client-credentials', clientId: 'c', clientSecretEnv: 'CRM_SECRET' }, rateLimit: { requestsPerSecond: 5 } },
    ],
  };

  it('accepts a valid file and names every problem of an invalid one', () => {
    expect(parseSourcesConfig(valid).sources).toHaveLength(2);
    const bad = {
      sources: [
        { ...valid.sources[0], schedules: [{ mode: 'delta', cron: '*/5 * * *' }] },
        { ...valid.sources[1], auth: { type: 'basic', username: 'u', password: 'p' } },
        { ...valid.sources[0], baseUrl: 'not a url' },
      ],
    };
    expect(() => parseSourcesConfig(bad)).toThrow(/sources\.0\.schedules\.0\.cron: cron "\*\/5 \* \* \*" must have 5 fields.*sources\.1\.auth: a salesforce source authenticates with oauth-client-credentials.*sources\.2\.baseUrl.*sources\.2\.name: source erp is configured twice/);
  });
});

describe('scheduler', () => {
  it('runs due schedules, prefers full over delta in the same minute, and never overlaps a source with itself', async () => {
    const config: SourcesConfig = parseSourcesConfig({
      sources: [
        { name: 'erp', kind: 'sap', baseUrl: 'http://127.0.0.1:1', auth: { type: 'basic', username: 'u', password: 'p' }, schedules: [{ mode: 'full', cron: '0 2 * * *' }, { mode: 'delta', cron: '*/5 * * * *' }] },
        { name: 'fsm', kind: 'servicenow', baseUrl: 'http://127.0.0.1:1', auth: { type: 'basic', username: 'u', password: 'p' }, schedules: [{ mode: 'delta', cron: '*/10 * * * *' }] },
      ],
    });
    const calls: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const scheduler = startScheduler({} as Database, config, {
      run: async (_db, source, mode) => {
        calls.push(`${source.name}:${mode}`);
        if (source.name === 'erp') await gate;
      },
    });
    await scheduler.tick(at('2026-03-01T02:00:00Z')); // erp full (not delta too), fsm delta
    expect(calls).toEqual(['erp:full', 'fsm:delta']);
    await new Promise((r) => setTimeout(r, 10));
    expect(scheduler.running()).toEqual(['erp']);
    await scheduler.tick(at('2026-03-01T02:05:00Z')); // erp still running: skipped
    await scheduler.tick(at('2026-03-01T02:07:00Z')); // nothing due
    expect(calls).toEqual(['erp:full', 'fsm:delta']);
    release();
    await new Promise((r) => setTimeout(r, 10));
    await scheduler.tick(at('2026-03-01T02:10:00Z'));
    expect(calls).toEqual(['erp:full', 'fsm:delta', 'erp:delta', 'fsm:delta']);
    await scheduler.stop();
  });
});
