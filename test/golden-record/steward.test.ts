import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from '../../src/golden-record/resolve.service';
import { markNotAMatch, mergeGoldenRecords, moveRecord, pinAttribute, setLocked, splitGoldenRecord } from '../../src/golden-record/steward.service';
import { ingestFile } from '../../src/ingest/file-ingest.service';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
const dir = mkdtempSync(join(tmpdir(), 'mdm-steward-'));
const anna = { actor: 'anna', reason: 'checked with the customer' };

const org = (source: string, sourceId: string, name: string, extra: Record<string, unknown> = {}) => ({
  entity: 'customer', source, sourceId, kind: 'organization', name, city: 'Stuttgart', country: 'DE', ...extra,
});

beforeAll(async () => {
  database = await openTestDatabase();
  const file = join(dir, 'c.jsonl');
  writeFileSync(file, [
    org('erp', 'E1', 'Krüger Maschinenbau GmbH', { taxId: 'DE811234567', phone: '+49 711 123456' }),
    org('crm', 'C1', 'Krüger Maschinenbau GmbH', { taxId: 'DE811234567', phone: '+49 711 999999' }),
    org('crm', 'C2', 'Hartwell Industrial Supply Inc.', { city: 'Chicago', country: 'US' }),
    org('fsm', 'F1', 'Tanaka Seiki K.K.', { city: 'Osaka', country: 'JP' }),
  ].map((r) => JSON.stringify(r)).join('\n'));
  await ingestFile(database, { file });
  await resolve(database);
});
afterAll(async () => {
  await database?.close();
});

async function golden(source: string, sourceId: string) {
  const x = await database.db.selectFrom('xref').innerJoin('golden_record as g', 'g.id', 'xref.golden_id')
    .select(['g.id', 'g.version', 'xref.record_id', 'g.attributes']).where('source', '=', source).where('source_id', '=', sourceId).executeTakeFirstOrThrow();
  return x;
}

describe('steward operations', () => {
  it('merges two golden records, audited, and answers a stale version with a conflict', async () => {
    const a = await golden('crm', 'C2');
    const b = await golden('fsm', 'F1');
    const stale = await mergeGoldenRecords(database, [a.id, b.id], anna, { [a.id]: a.version + 5 });
    expect(stale).toMatchObject({ kind: 'conflict', goldenId: a.id, currentVersion: a.version });
    const merged = await mergeGoldenRecords(database, [a.id, b.id], anna);
    expect(merged.kind).toBe('success');
    expect((await golden('crm', 'C2')).id).toBe((await golden('fsm', 'F1')).id);
    const audit = await database.db.selectFrom('steward_audit').selectAll().where('action', '=', 'merge').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'anna', reason: 'checked with the customer' });
  });

  it('marks two golden records not a match and later runs keep them apart', async () => {
    const g = await golden('crm', 'C2');
    const split = await splitGoldenRecord(database, g.id, [(await golden('fsm', 'F1')).record_id], anna);
    expect(split.kind).toBe('success');
    if (split.kind !== 'success') return;
    // The part holding the oldest member keeps the id; the other records where it came from.
    expect([split.goldenId, split.newGoldenId]).toContain(g.id);
    expect((await golden('fsm', 'F1')).id).toBe(split.newGoldenId);
    const created = await database.db.selectFrom('golden_record').select('split_from').where('id', '=', split.newGoldenId === g.id ? split.goldenId : split.newGoldenId).executeTakeFirstOrThrow();
    expect(created.split_from).toBe(g.id);
    const nm = await markNotAMatch(database, [split.goldenId, split.newGoldenId], anna);
    expect(nm.kind).toBe('success');
    await resolve(database, { force: true });
    expect((await golden('crm', 'C2')).id).not.toBe((await golden('fsm', 'F1')).id);
  });

  it('moves a record, pins an attribute, and locks a golden record against automatic change', async () => {
    const k = await golden('erp', 'E1');
    expect((await golden('crm', 'C1')).id).toBe(k.id);
    const target = await golden('crm', 'C2');
    const moved = await moveRecord(database, (await golden('crm', 'C1')).record_id, target.id, anna);
    expect(moved.kind).toBe('success');
    // C1 now sits with C2; E1 stays on its own. (Which side keeps an id follows the id rules.)
    const withC2 = (await golden('crm', 'C2')).id;
    expect((await golden('crm', 'C1')).id).toBe(withC2);
    expect(moved).toMatchObject({ goldenId: withC2 });
    expect((await golden('erp', 'E1')).id).not.toBe(withC2);
    const kNow = await golden('erp', 'E1');

    const pinned = await pinAttribute(database, kNow.id, 'name', { value: 'Krüger Maschinenbau GmbH & Co. KG' }, anna);
    expect(pinned.kind).toBe('success');
    const attrs = (await golden('erp', 'E1')).attributes as Record<string, { value: unknown; lineage: { strategy: string } }>;
    expect(attrs.name).toMatchObject({ value: 'Krüger Maschinenbau GmbH & Co. KG', lineage: { strategy: 'override' } });

    const locked = await setLocked(database, withC2, true, anna);
    expect(locked.kind).toBe('success');
    const refused = await mergeGoldenRecords(database, [withC2, kNow.id], anna);
    expect(refused.kind).toBe('conflict');
    await resolve(database, { force: true });
    expect((await golden('crm', 'C1')).id).toBe(withC2);
  });

  it('answers unknown golden ids with not found and nonsense with invalid, changing nothing', async () => {
    const before = await database.db.selectFrom('steward_decision').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect((await mergeGoldenRecords(database, ['G-NOPE', (await golden('erp', 'E1')).id], anna)).kind).toBe('notFound');
    expect((await mergeGoldenRecords(database, ['G-X', 'G-X'], anna)).kind).toBe('invalid');
    const after = await database.db.selectFrom('steward_decision').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toEqual(before.n);
  });

  it('serializes concurrent actions on one golden record: one wins, the other sees a conflict', async () => {
    const g = await golden('erp', 'E1');
    const results = await Promise.all([
      pinAttribute(database, g.id, 'phone', { value: '+49 711 1' }, anna, g.version),
      pinAttribute(database, g.id, 'phone', { value: '+49 711 2' }, anna, g.version),
    ]);
    expect(results.map((r) => r.kind).sort()).toEqual(['conflict', 'success']);
  });

  it('merges whole golden records: every member of each ends in the survivor and stays there', async () => {
    const a = await golden('fsm', 'F1');
    const b = await golden('erp', 'E1');
    const members = async (id: string) => (await database.db.selectFrom('xref').select('record_id').where('golden_id', '=', id).execute()).map((r) => r.record_id).sort();
    const before = [...(await members(a.id)), ...(await members(b.id))].sort();
    await database.db.updateTable('golden_record').set({ locked: false }).execute();
    const merged = await mergeGoldenRecords(database, [a.id, b.id], anna);
    expect(merged.kind).toBe('success');
    if (merged.kind !== 'success') return;
    expect(await members(merged.goldenId)).toEqual(before);
    await resolve(database, { force: true });
    expect(await members(merged.goldenId)).toEqual(before);
  });
});
