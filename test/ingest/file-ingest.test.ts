import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/ingest/file-ingest.service';
import { listQuarantine } from '../../src/ingest/quarantine.repository';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
const dir = mkdtempSync(join(tmpdir(), 'mdm-ingest-'));
let n = 0;

function file(lines: Array<Record<string, unknown> | string>, ext = 'jsonl'): string {
  const path = join(dir, `f${++n}.${ext}`);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
}

const rec = (id: string, extra: Record<string, unknown> = {}) => ({
  entity: 'customer', source: 'crm', sourceId: id, kind: 'organization', name: `Firma ${id}`, ...extra,
});

async function stored(id: string) {
  return database.db.selectFrom('source_record').selectAll().where('source', '=', 'crm').where('source_id', '=', id).executeTakeFirst();
}

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('file ingest', () => {
  it('inserts new records and keeps the raw payload with unknown fields', async () => {
    const result = await ingestFile(database, { file: file([rec('A1', { updatedAt: '2026-01-01T00:00:00Z', crmTier: 'gold' }), rec('A2')]) });
    expect(result).toMatchObject({ read: 2, inserted: 2, updated: 0, unchanged: 0, stale: 0, deleted: 0, quarantined: 0 });
    const row = await stored('A1');
    expect(row?.raw).toMatchObject({ crmTier: 'gold', name: 'Firma A1' });
    expect(row?.attributes).toEqual({ kind: 'organization', name: 'Firma A1' });
    expect(row?.first_run_id).toBe(result.runId);
    expect(row?.version).toBe(1);
  });

  it('counts a replay of the same data as unchanged and changes nothing', async () => {
    const before = await stored('A1');
    const result = await ingestFile(database, { file: file([rec('A1', { updatedAt: '2026-01-01T00:00:00Z', crmTier: 'gold' }), rec('A2')]) });
    expect(result).toMatchObject({ read: 2, inserted: 0, updated: 0, unchanged: 2 });
    const after = await stored('A1');
    expect(after).toEqual(before);
  });

  it('applies a newer version, keeps the old one in history, and never lets an older one overwrite it', async () => {
    const newer = await ingestFile(database, { file: file([rec('A1', { updatedAt: '2026-02-01T00:00:00Z', name: 'Firma A1 neu' })]) });
    expect(newer).toMatchObject({ updated: 1 });
    const older = await ingestFile(database, { file: file([rec('A1', { updatedAt: '2025-12-01T00:00:00Z', name: 'Firma A1 alt' })]) });
    expect(older).toMatchObject({ stale: 1, updated: 0 });
    const row = await stored('A1');
    expect(row?.attributes.name).toBe('Firma A1 neu');
    expect(row?.version).toBe(2);
    const history = await database.db.selectFrom('source_record_history').selectAll().where('record_id', '=', row!.id).execute();
    expect(history.map((h) => [h.version, (h.attributes as Record<string, unknown>).name])).toEqual([[1, 'Firma A1']]);
  });

  it('marks a deleted record deleted and keeps its history', async () => {
    const result = await ingestFile(database, { file: file([rec('A2', { deleted: true })]) });
    expect(result).toMatchObject({ deleted: 1 });
    const row = await stored('A2');
    expect(row?.deleted).toBe(true);
    const history = await database.db.selectFrom('source_record_history').selectAll().where('record_id', '=', row!.id).execute();
    expect(history).toHaveLength(1);
    expect(history[0].deleted).toBe(false);
  });

  it('applies repeated keys inside one file in file order', async () => {
    const result = await ingestFile(database, {
      file: file([rec('B1', { name: 'v1' }), rec('B1', { name: 'v2' }), rec('B1', { name: 'v2' })]),
      batchSize: 10,
    });
    expect(result).toMatchObject({ inserted: 1, updated: 1, unchanged: 1 });
    expect((await stored('B1'))?.attributes.name).toBe('v2');
  });

  it('quarantines each bad record with file, line and reason, and lands the rest', async () => {
    const path = file([
      rec('Q1'),
      '{"entity": "customer", "source": "crm", ',
      '[1, 2]',
      { source: 'crm', sourceId: 'Q2' },
      rec('Q3', { entity: 'machine' }),
      rec('Q4', { updatedAt: '2024-13-01' }),
      rec('Q5', { name: { text: 'x' } }),
      { entity: 'contract', source: 'crm', sourceId: 'Q6', assetRefs: 'A1' },
      rec('Q7', { notes: 'x'.repeat(70_000) }),
      `{"entity":"customer","source":"crm","sourceId":"Q8","blob":"${'y'.repeat(1_100_000)}"}`,
      rec('Q9', { source: 'Bad Source' }),
      rec('Q10'),
    ]);
    const result = await ingestFile(database, { file: path });
    expect(result).toMatchObject({ read: 12, inserted: 2, quarantined: 10 });
    const rows = await listQuarantine(database.db, { runId: result.runId });
    const reasons = rows.map((r) => r.reason).sort((a, b) => Number(/line (\d+)/.exec(a)![1]) - Number(/line (\d+)/.exec(b)![1]));
    expect(reasons).toEqual([
      expect.stringMatching(/^line 2: not valid JSON/),
      'line 3: a record must be a JSON object',
      expect.stringMatching(/^line 4: entity is missing/),
      expect.stringMatching(/^line 5: entity "machine" is not one of/),
      'line 6: updatedAt "2024-13-01" is not a date (expected ISO-8601)',
      'line 7: name must be a string, got an object',
      'line 8: assetRefs must be a list of sourceIds, got string "A1"',
      'line 9: field notes is 70000 bytes (at most 65536)',
      expect.stringMatching(/^line 10: line is \d+ bytes \(at most 1048576\)/),
      expect.stringMatching(/^line 11: source "Bad Source" is invalid/),
    ]);
    for (const r of rows) {
      expect(r.file).toBe(path);
      expect(r.excerpt.length).toBeLessThanOrEqual(203);
    }
    const q6 = rows.find((r) => r.reason.startsWith('line 8'));
    expect([q6?.entity, q6?.source, q6?.source_id]).toEqual(['contract', 'crm', 'Q6']);
    expect(await stored('Q10')).toBeDefined();
  });

  it('loads canonical CSV with |-separated ref lists and quarantines a malformed row', async () => {
    const path = join(dir, 'contracts.csv');
    writeFileSync(
      path,
      'entity,source,sourceId,contractNumber,assetRefs,startDate\n' +
        'contract,erp,K1,SC-1,A1|A2,2025-01-01\n' +
        'contract,erp,K2,SC-2,"A3,unterminated\n',
    );
    const result = await ingestFile(database, { file: path });
    expect(result).toMatchObject({ read: 2, inserted: 1, quarantined: 1 });
    const row = await database.db.selectFrom('source_record').selectAll().where('source_id', '=', 'K1').executeTakeFirstOrThrow();
    expect(row.attributes).toEqual({ contractNumber: 'SC-1', assetRefs: ['A1', 'A2'], startDate: '2025-01-01' });
  });

  it('loads a foreign CSV through a mapping file', async () => {
    const csv = join(dir, 'people.csv');
    writeFileSync(csv, 'rec_id, given_name, surname, date_of_birth\nrec-1-org, anna, smith, 19700215\nrec-2-org, bob, jones, 1970021\n');
    const mapping = join(dir, 'people.mapping.json');
    writeFileSync(mapping, JSON.stringify({
      format: 'csv',
      csv: { trim: true },
      constants: { entity: 'customer', source: 'people', kind: 'person' },
      fields: { sourceId: 'rec_id', givenName: 'given_name', familyName: 'surname', dateOfBirth: { column: 'date_of_birth', transforms: [{ date: 'YYYYMMDD' }] } },
    }));
    const result = await ingestFile(database, { file: csv, mapping });
    expect(result).toMatchObject({ read: 2, inserted: 1, quarantined: 1 });
    const row = await database.db.selectFrom('source_record').selectAll().where('source', '=', 'people').executeTakeFirstOrThrow();
    expect(row.attributes).toEqual({ kind: 'person', givenName: 'anna', familyName: 'smith', dateOfBirth: '1970-02-15' });
    const q = await listQuarantine(database.db, { runId: result.runId });
    expect(q[0].reason).toBe('line 3: dateOfBirth "1970021" is not a date (expected ISO-8601, YYYY-MM-DD)');
  });

  it('records the run with its counts and status', async () => {
    const result = await ingestFile(database, { file: file([rec('R1'), '{bad']), source: 'crm' });
    const run = await database.db.selectFrom('ingest_run').selectAll().where('id', '=', result.runId).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ kind: 'file', source: 'crm', status: 'succeeded', read_count: 2, inserted_count: 1, quarantined_count: 1 });
    expect(run.finished_at).toBeInstanceOf(Date);
  });
});
