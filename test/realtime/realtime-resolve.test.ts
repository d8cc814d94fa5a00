import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-key.service';
import { withEntityLock } from '../../src/golden-record/entity-lock';
import { resolveRecordsNow } from '../../src/golden-record/realtime-resolve';
import { resolve } from '../../src/golden-record/resolve.service';
import { createApp } from '../../src/http/app';
import { processInboxBatch } from '../../src/realtime/inbox-worker';
import { generateWorld } from '../../src/sim/world';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { ingestRecords } from '../helpers/ingest';

let database: TestDatabase;

beforeEach(async () => {
  database = await openTestDatabase();
});
afterEach(async () => {
  await database?.close();
});

const ENTITIES = ['product', 'customer', 'location', 'serial', 'asset', 'contract'];

async function xrefs(entity: string): Promise<Map<string, string>> {
  const rows = await database.db.selectFrom('xref').select(['source', 'source_id', 'golden_id']).where('entity', '=', entity).execute();
  return new Map(rows.map((r) => [`${r.source}|${r.source_id}`, r.golden_id]));
}

function partition(map: Map<string, string>): string[] {
  const groups = new Map<string, string[]>();
  for (const [k, g] of map) groups.set(g, [...(groups.get(g) ?? []), k]);
  return [...groups.values()].map((g) => g.sort().join(',')).sort();
}

/** Pairs of records in one cluster. */
function pairs(parts: string[]): Set<string> {
  const out = new Set<string>();
  for (const p of parts) {
    const m = p.split(',');
    for (let i = 0; i < m.length; i++) for (let j = i + 1; j < m.length; j++) out.add(`${m[i]}\u0000${m[j]}`);
  }
  return out;
}

async function pushAll(records: Array<Record<string, unknown>>): Promise<void> {
  const app = createApp({ database });
  const keys = new Map<string, string>();
  const bySource = new Map<string, Array<Record<string, unknown>>>();
  for (const r of records) bySource.set(String(r.source), [...(bySource.get(String(r.source)) ?? []), r]);
  // One request per source and slice, as sources push them; processed as they come.
  for (let i = 0; i < records.length; i += 25) {
    for (const [source, list] of bySource) {
      const slice = list.slice(i, i + 25);
      if (slice.length === 0) continue;
      if (!keys.has(source)) keys.set(source, (await createApiKey(database.db, { role: `ingest:${source}` })).key);
      const res = await app.request(`/ingest/${source}/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.get(source)}` },
        body: JSON.stringify(slice),
      });
      expect(res.status).toBe(202);
    }
    while ((await processInboxBatch(database, { batchSize: 20 })).claimed > 0);
  }
}

describe('real-time resolution', () => {
  it('changes nothing when it resolves records that did not change after a batch run', async () => {
    // Assets of one customer and one site share the customer and location keys, which weigh by how
    // rare they are: counted within a neighbourhood of those assets alone they looked as common as
    // a value can be, and re-resolving one asset split its neighbours' golden records.
    const records = [...generateWorld({ seed: 5, size: 10_000 })].map((r) => r.record as unknown as Record<string, unknown>);
    await ingestRecords(database, records);
    await resolve(database);
    const before = new Map<string, Map<string, string>>();
    for (const e of ENTITIES) before.set(e, await xrefs(e));
    const moved: string[] = [];
    let resolved = 0;
    // Customers: the records of every pair the batch run left in review within 1 bit of the
    // auto-merge threshold (6 bits), the closest to a merge. Their names and cities weigh by how
    // often they occur among all customers (term_frequency), not among the few records of a
    // neighbourhood: counted there, CRM "Ferrara Oleodinamica" and FSM "Ferrara Pompe" (5.27 bits
    // in the batch run) merged.
    const { rows: close } = await sql<{ id: string }>`
      SELECT DISTINCT unnest(ARRAY[left_record_id, right_record_id])::text AS id FROM match_pair
      WHERE entity = 'customer' AND status = 'pending' AND weight >= 5 ORDER BY 1`.execute(database.db);
    expect(close.length).toBeGreaterThan(20);
    for (const { id } of close) {
      const result = await withEntityLock(database, 'customer', () => resolveRecordsNow(database, 'customer', [id]));
      if (result.created + result.merged + result.retired > 0 || result.movedRecords.length > 0) moved.push(`customer ${id}: ${JSON.stringify({ created: result.created, merged: result.merged, moved: result.movedRecords.length })}`);
    }
    for (const entity of ['asset', 'location', 'contract', 'serial'] as const) {
      // Records of the customers with the most records of the type: the largest neighbourhoods.
      const { rows: ids } = await sql<{ id: string }>`
        WITH c AS (SELECT attributes->>'customerRef' AS ref, count(*) AS n FROM source_record WHERE entity = ${entity} GROUP BY 1)
        SELECT s.id FROM source_record s LEFT JOIN c ON c.ref = s.attributes->>'customerRef'
        WHERE s.entity = ${entity} ORDER BY c.n DESC NULLS LAST, s.id LIMIT 40`.execute(database.db);
      for (const { id } of ids) {
        const result = await withEntityLock(database, entity, () => resolveRecordsNow(database, entity, [String(id)]));
        resolved++;
        if (result.created + result.merged + result.retired > 0 || result.movedRecords.length > 0) moved.push(`${entity} ${id}: ${JSON.stringify({ created: result.created, merged: result.merged, moved: result.movedRecords.length })}`);
      }
    }
    expect(resolved).toBe(160);
    expect(moved).toEqual([]);
    for (const e of ENTITIES) expect(partition(await xrefs(e)), e).toEqual(partition(before.get(e)!));
  });

  it('agrees with a batch run over the same records, and the next batch run settles the rest, keeping the ids of clusters already right', async () => {
    const records = [...generateWorld({ seed: 11, size: 1200 })].map((r) => r.record as unknown as Record<string, unknown>);
    await ingestRecords(database, records);
    await resolve(database);
    const whole = new Map<string, string[]>();
    for (const e of ENTITIES) whole.set(e, partition(await xrefs(e)));

    await database.close();
    database = await openTestDatabase();
    const cut = Math.floor(records.length * 0.7);
    await ingestRecords(database, records.slice(0, cut));
    await resolve(database);
    await pushAll(records.slice(cut));
    const realtime = new Map<string, Map<string, string>>();
    for (const e of ENTITIES) realtime.set(e, await xrefs(e));

    let same = 0;
    let all = 0;
    for (const e of ENTITIES) {
      const a = pairs(whole.get(e)!);
      const b = pairs(partition(realtime.get(e)!));
      for (const p of a) if (b.has(p)) same++;
      all += new Set([...a, ...b]).size;
      expect(realtime.get(e)!.size, e).toBe(whole.get(e)!.join(',').split(',').filter(Boolean).length);
    }
    // Real-time resolution uses the prior of the last batch run and counts the neighbourhood's
    // values against its record totals, so a pair near a threshold can still land on the other
    // side of it; the nightly batch run settles it (docs/realtime.md). At this size all but a pair
    // or two agree.
    console.log(`real-time vs batch: ${same}/${all} matched pairs agree`);
    expect(same / all).toBeGreaterThanOrEqual(0.99);

    // The batch run over the same records ends in the batch clusters, and every cluster real-time
    // resolution already had right keeps its golden id.
    const batch = await resolve(database, { force: true });
    expect(batch.length).toBe(ENTITIES.length);
    for (const e of ENTITIES) {
      const after = await xrefs(e);
      expect(partition(after), e).toEqual(whole.get(e));
      const right = new Set(whole.get(e));
      const before = realtime.get(e)!;
      const groups = new Map<string, string[]>();
      for (const [k, g] of before) groups.set(g, [...(groups.get(g) ?? []), k]);
      for (const [g, members] of groups) {
        if (!right.has(members.sort().join(','))) continue;
        for (const k of members) expect(after.get(k), `${e} ${k}`).toBe(g);
      }
    }
  });
});
