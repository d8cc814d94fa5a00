/** The drills' input: a generated world (src/sim/world) and its records as a JSONL file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimRecord } from '../../../src/sim/index';
import { generateWorld } from '../../../src/sim/world';

const made: string[] = [];

/** Removes the drill's temporary directories (also done when the process exits). */
export function removeDrillTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
process.once('exit', removeDrillTempDirs);

/** A temporary directory of the drill, removed when the process exits. */
export function drillTempDir(prefix = 'mdm-drill-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function worldRecords(seed: number, size: number): SimRecord[] {
  return [...generateWorld({ seed, size })].map(({ record }) => ({ ...record }) as unknown as SimRecord);
}

/** Writes records to a fresh JSONL file (for `mdm ingest --file`) and returns its path. */
export function writeJsonl(records: ReadonlyArray<Record<string, unknown>>, name = 'records.jsonl'): string {
  const file = join(drillTempDir(), name);
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}
