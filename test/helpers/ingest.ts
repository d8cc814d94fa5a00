import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../src/db/database';
import { ingestFile } from '../../src/ingest/file-ingest.service';

const dir = mkdtempSync(join(tmpdir(), 'mdm-test-ingest-'));
let n = 0;

/** Ingests canonical records through the real file ingest (a JSONL file written for the purpose). */
export function ingestRecords(database: Database, records: ReadonlyArray<Record<string, unknown>>) {
  const file = join(dir, `records-${++n}.jsonl`);
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return ingestFile(database, { file });
}
