import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serialForms } from '../../src/matching/prepare/serial-key';
import { generateWorld } from '../../src/sim/world';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

/**
 * The database's serial key (real-time neighbourhoods, match candidates, asset -> serial unit
 * lookups) must equal the matching standardizer's OCR-folded serial, or a record written with a
 * label ("Ser.No. 1000035") never meets its twin ("SN-1000035") outside a batch run.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('mdm_serial_key', () => {
  it('equals the standardizer\'s OCR-folded serial on every serial number of a generated world', async () => {
    const values = new Set<string>(['Ser.No. 1000035', 'SN-1000035', 'S/N: 00a7-4411', 'Serial No. 4711', 'No. 4711', '#GPU165S-26-00O015', 'SNABC', '5N06D01006', '0001000906']);
    for (const { record } of generateWorld({ seed: 3, size: 4000 })) {
      const serial = (record as unknown as Record<string, unknown>).serialNumber;
      if (typeof serial === 'string') values.add(serial);
    }
    const list = [...values];
    expect(list.length).toBeGreaterThan(500);
    const { rows } = await sql<{ v: string; k: string | null }>`SELECT v, mdm_serial_key(v) AS k FROM unnest(${list}::text[]) AS v`.execute(database.db);
    const mismatches = rows.filter((r) => r.k !== (serialForms(r.v)?.ocr ?? null)).map((r) => `${r.v} -> ${r.k} / ${serialForms(r.v)?.ocr}`);
    expect(mismatches).toEqual([]);
  });
});
