import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateWorld } from './generate';
import { countsTable, writeWorld } from './write';

describe('writeWorld', () => {
  const dir = mkdtempSync(join(tmpdir(), 'world-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes records.jsonl and truth.csv that match the generator', async () => {
    const result = await writeWorld({ seed: 9, size: 3000 }, dir);
    const lines = readFileSync(result.files.records, 'utf8').trimEnd().split('\n');
    const truth = readFileSync(result.files.truth, 'utf8').trimEnd().split('\n');
    expect(truth[0]).toBe('entity,source,sourceId,trueId');
    expect(lines.length).toBe(result.records);
    expect(truth.length).toBe(result.records + 1);

    const expected = [...generateWorld({ seed: 9, size: 3000 })];
    expect(lines.length).toBe(expected.length);
    for (let i = 0; i < lines.length; i += 97) {
      expect(JSON.parse(lines[i])).toEqual(expected[i].record);
      const { record, trueId } = expected[i];
      expect(truth[i + 1]).toBe(`${record.entity},${record.source},${record.sourceId},${trueId}`);
    }
    let total = 0;
    for (const c of Object.values(result.counts)) total += c.total;
    expect(total).toBe(result.records);
    expect(result.bytes.records).toBe(Buffer.byteLength(readFileSync(result.files.records)));
    expect(countsTable(result.counts)).toContain('| customer |');
  });
});
