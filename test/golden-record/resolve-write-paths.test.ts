import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { resolve } from '../../src/golden-record/resolve.service';
import { generateWorld } from '../../src/sim/world';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { ingestRecords } from '../helpers/ingest';

const open: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
});

/**
 * Everything a resolution writes, without timestamps, with record ids replaced by record keys
 * (ingest on PostgreSQL stores batches over several connections, so ids differ between databases),
 * each table as sorted JSON lines.
 */
async function written(database: TestDatabase): Promise<Record<string, string[]>> {
  const q = async (text: string) => (await sql.raw(text).execute(database.db)).rows as Array<Record<string, unknown>>;
  const keyOf = new Map<string, string>();
  for (const r of await q(`SELECT id::text AS id, entity, source, source_id FROM source_record`)) keyOf.set(r.id as string, `${r.entity}|${r.source}|${r.source_id}`);
  const key = (id: unknown) => keyOf.get(String(id)) ?? `unknown ${id}`;
  const lines = (rows: Array<Record<string, unknown>>) =>
    rows
      .map((row) => {
        const out: Record<string, unknown> = { ...row };
        for (const c of ['record_id', 'left_record_id', 'right_record_id']) if (c in out) out[c] = key(out[c]);
        return JSON.stringify(out).replace(/"recordId":"(\d+)"/g, (_, id: string) => `"recordId":"${key(id)}"`);
      })
      .sort();
  return {
    golden: lines(await q(`SELECT id, entity, status, version, merged_into, split_from, attributes FROM golden_record`)),
    history: lines(await q(`SELECT golden_id, version, entity, status, merged_into, attributes, members, change, valid_to IS NULL AS current FROM golden_history`)),
    xref: lines(await q(`SELECT record_id::text, entity, source, source_id, golden_id FROM xref`)),
    moves: lines(await q(`SELECT record_id::text, entity, source, source_id, from_golden, to_golden, reason FROM xref_move`)),
    redirects: lines(await q(`SELECT from_id, to_id, reason FROM golden_redirect`)),
    links: lines(await q(`SELECT record_id::text, relation, target_entity, target_source, target_source_id FROM record_link`)),
    pairs: lines(await q(`SELECT entity, left_record_id::text, right_record_id::text, weight, probability, priority, blocking_rule, reason, explanation, status FROM match_pair`)),
    events: lines(await q(`SELECT event_type, entity, golden_id, golden_version, payload - 'at' AS payload FROM outbox`)),
  };
}

describe('resolution writes', () => {
  it('writes the same rows through COPY and staging tables as through inline parameters, on a first run and on a re-run with changes', async () => {
    const world = [...generateWorld({ seed: 31, size: 700 })].map((r) => r.record as unknown as Record<string, unknown>);
    // Second load: some customers renamed (clusters split and merge), some records gone from their
    // source, and records of another world (new records, and changed ones where the keys meet).
    const renamed = world.filter((r) => r.entity === 'customer').slice(0, 40).map((r, i) => ({ ...r, name: i % 2 === 0 ? `Renamed ${i}` : world[0].name ?? r.name }));
    const deleted = world.filter((r) => r.entity === 'asset').slice(0, 15).map((r) => ({ ...r, deleted: true }));
    const more = [...generateWorld({ seed: 32, size: 250 })].map((r) => r.record as unknown as Record<string, unknown>);

    const results: Array<Record<string, string[]>> = [];
    for (const inlineRows of [Number.MAX_SAFE_INTEGER, 0]) {
      const database = await openTestDatabase();
      open.push(database);
      // One connection: record ids in file order, the same in both databases (ties between golden
      // ids are broken by record id).
      const serial = { ...database, writeConcurrency: 1 };
      await ingestRecords(serial, world);
      const first = await resolve(database, { inlineRows });
      expect(first.filter((s) => s.status === 'resolved').length).toBe(6);
      await ingestRecords(serial, [...renamed, ...deleted, ...more]);
      await resolve(database, { inlineRows });
      results.push(await written(database));
    }
    const [inline, staged] = results;
    for (const table of Object.keys(inline)) {
      expect(staged[table].length, table).toBe(inline[table].length);
      expect(staged[table], table).toEqual(inline[table]);
    }
    // The second run changed something in each kind of row it writes.
    expect(inline.moves.some((m) => /"reason":"(resolve|deleted)"/.test(m))).toBe(true);
    expect(inline.history.some((h) => /"version":[2-9]/.test(h))).toBe(true);
    expect(inline.pairs.length).toBeGreaterThan(0);
  }, 240_000);
});
