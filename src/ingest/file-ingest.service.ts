import { stat } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import type { EntityType } from '../core/entities';
import { UsageError } from '../core/errors';
import type { Database } from '../db/database';
import { contentHash, validateCanonical } from './canonical-record';
import { readFileRows } from './file-reader';
import { finishRun, type RunCounts, startRun, updateRunCounts } from './ingest-run.repository';
import { compileMapping, type Mapping, parseMapping } from './mapping';
import { addToQuarantine, type QuarantineEntry } from './quarantine.repository';
import { type RecordToStore, storeRecords } from './source-record.repository';

export interface FileIngestOptions {
  file: string;
  format?: 'jsonl' | 'csv';
  /** A mapping file path, or an already parsed mapping. */
  mapping?: string | Mapping;
  source?: string;
  entity?: EntityType;
  /** Records per transaction. */
  batchSize?: number;
  onProgress?: (progress: { bytes: number; totalBytes: number; counts: RunCounts }) => void;
}

export interface FileIngestResult extends RunCounts {
  runId: string;
}

function formatOf(file: string, explicit?: 'jsonl' | 'csv', mapping?: Mapping): 'jsonl' | 'csv' {
  if (explicit) return explicit;
  if (mapping?.format) return mapping.format;
  return /\.(csv|tsv)$/i.test(file) ? 'csv' : 'jsonl';
}

/**
 * Streams a JSONL or CSV file into source records. Invalid records are quarantined with the
 * file, line and reason; everything valid lands. Throws `UsageError` only when the file or the
 * mapping cannot be read at all.
 *
 * @example
 * ```ts
 * const result = await ingestFile(database, { file: 'fixtures/demo/records.jsonl' });
 * // { runId: '1', read: 1200, inserted: 1195, ..., quarantined: 5 }
 * ```
 */
export async function ingestFile(database: Database, options: FileIngestOptions): Promise<FileIngestResult> {
  const { db } = database;
  let mapping: Mapping | undefined;
  if (typeof options.mapping === 'string') {
    let text: string;
    try {
      text = await readFile(options.mapping, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read mapping ${options.mapping}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    try {
      mapping = parseMapping(text, `mapping ${options.mapping}`);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  } else mapping = options.mapping;

  let totalBytes: number;
  try {
    const info = await stat(options.file);
    if (!info.isFile()) throw new UsageError(`cannot read file ${options.file}: not a regular file`);
    totalBytes = info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read file ${options.file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }

  const format = formatOf(options.file, options.format, mapping);
  const map = mapping ? compileMapping(mapping) : undefined;
  const fromText = format === 'csv';
  const batchSize = options.batchSize ?? 5000;
  const runId = await startRun(db, {
    kind: 'file',
    source: options.source ?? (typeof mapping?.constants?.source === 'string' ? mapping.constants.source : null),
    entity: options.entity ?? (typeof mapping?.constants?.entity === 'string' ? mapping.constants.entity : null),
    file: options.file,
  });
  const counts: RunCounts = { read: 0, inserted: 0, updated: 0, unchanged: 0, stale: 0, deleted: 0, quarantined: 0 };
  let quarantine: QuarantineEntry[] = [];
  let bytes = 0;
  let failure: Error | undefined;

  // Batches are written on several connections at once where the database allows it. A key
  // always goes to the same lane, so the versions of one record are applied in file order.
  const lanes = Array.from({ length: database.writeConcurrency }, () => ({
    batch: [] as RecordToStore[],
    inflight: Promise.resolve(),
  }));
  const reportProgress = () => options.onProgress?.({ bytes, totalBytes, counts });
  const launch = async (lane: (typeof lanes)[number]) => {
    await lane.inflight;
    if (failure) throw failure;
    const batch = lane.batch;
    lane.batch = [];
    lane.inflight = storeRecords(database, batch, runId).then(
      async (stored) => {
        for (const k of Object.keys(stored) as Array<keyof typeof stored>) counts[k] += stored[k];
        await updateRunCounts(db, runId, counts);
        reportProgress();
      },
      (error: Error) => {
        failure ??= error;
      },
    );
  };
  const flushQuarantine = async () => {
    if (quarantine.length === 0) return;
    const entries = quarantine;
    quarantine = [];
    await addToQuarantine(db, entries);
  };
  const flush = async () => {
    for (const lane of lanes) if (lane.batch.length > 0) await launch(lane);
    await Promise.all(lanes.map((l) => l.inflight));
    if (failure) throw failure;
    await flushQuarantine();
    await updateRunCounts(db, runId, counts);
    reportProgress();
  };
  const laneOf = (r: { entity: string; source: string; sourceId: string }) => {
    if (lanes.length === 1) return lanes[0];
    let h = 2166136261;
    const key = r.sourceId;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
    h = Math.imul(h ^ r.entity.length ^ (r.source.charCodeAt(0) << 8), 16777619);
    return lanes[(h >>> 0) % lanes.length];
  };

  try {
    const rows = readFileRows(options.file, {
      format,
      csv: mapping?.csv,
      onBytes: (b) => {
        bytes = b;
      },
    });
    for await (const item of rows) {
      counts.read++;
      if ('error' in item) {
        counts.quarantined++;
        quarantine.push({ runId, file: options.file, line: item.line, excerpt: item.excerpt, reason: `line ${item.line}: ${item.error}` });
      } else {
        let input: Record<string, unknown>;
        try {
          input = map ? map(item.row) : item.row;
        } catch (error) {
          input = item.row;
          counts.quarantined++;
          quarantine.push({ runId, file: options.file, line: item.line, excerpt: item.excerpt, reason: `line ${item.line}: mapping failed: ${(error as Error).message}` });
          continue;
        }
        const result = validateCanonical(input, {
          fromText,
          defaultEntity: options.entity,
          defaultSource: options.source,
        });
        if (result.ok) {
          const lane = laneOf(result.record);
          lane.batch.push({ record: result.record, hash: contentHash(result.record), rawText: map ? undefined : item.text });
          if (lane.batch.length >= batchSize) await launch(lane);
        } else {
          counts.quarantined++;
          quarantine.push({
            runId,
            file: options.file,
            line: item.line,
            excerpt: item.excerpt,
            reason: `line ${item.line}: ${result.reason}`,
            entity: result.entity ?? null,
            source: result.source ?? null,
            sourceId: result.sourceId ?? null,
          });
        }
      }
      if (quarantine.length >= batchSize) await flushQuarantine();
    }
    await flush();
    await finishRun(db, runId, counts, 'succeeded');
    return { runId, ...counts };
  } catch (error) {
    await Promise.all(lanes.map((l) => l.inflight)).catch(() => undefined);
    await finishRun(db, runId, counts, 'failed', (error as Error).message).catch(() => undefined);
    throw error;
  }
}
