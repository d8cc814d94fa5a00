/** The drills' input: a generated world (src/sim/world) and its records as a JSONL file. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimRecord } from '../../../src/sim/index';
import { generateWorld } from '../../../src/sim/world';

export function worldRecords(seed: number, size: number): SimRecord[] {
  return [...generateWorld({ seed, size })].map(({ record }) => ({ ...record }) as unknown as SimRecord);
}

/** Writes records to a fresh JSONL file (for `mdm ingest --file`) and returns its path. */
export function writeJsonl(records: ReadonlyArray<Record<string, unknown>>, name = 'records.jsonl'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mdm-drill-')), name);
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}
