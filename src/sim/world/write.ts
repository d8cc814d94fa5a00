/**
 * Writes a world to disk: `records.jsonl` (one canonical source record per line) and `truth.csv`
 * (`entity,source,sourceId,trueId`), streaming with backpressure, so memory stays bounded by the
 * plan (a few bytes per true entity) whatever the size.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { ENTITY_TYPES, type EntityType } from '../../core/entities';
import { emitWorld } from './generate';
import { planWorld } from './plan';
import { SOURCE_NAMES, type SourceName, type WorldOptions } from './types';

/** What `writeWorld` wrote, with counts, timing and peak memory. */
export interface WriteWorldResult {
  /** Records written. */
  records: number;
  /** Records per entity type and source, and true entities (with at least one record) per type. */
  counts: Record<EntityType, Record<SourceName, number> & { total: number; trueEntities: number }>;
  /** Records with `deleted: true`. */
  deleted: number;
  bytes: { records: number; truth: number };
  seconds: number;
  /** Peak resident set size of the process so far, in MB. */
  peakRssMb: number;
  files: { records: string; truth: string };
}

/** Progress reporting of `writeWorld`. */
export interface WriteWorldOptions {
  /** Called every `progressEvery` records. */
  onProgress?: (records: number) => void;
  progressEvery?: number;
}

const CHUNK = 1 << 16;

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A buffered writer that waits for `drain` whenever the stream asks it to. */
class BufferedWriter {
  private buffer = '';
  bytes = 0;

  constructor(private readonly stream: WriteStream) {}

  async write(s: string): Promise<void> {
    this.buffer += s;
    if (this.buffer.length >= CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.buffer) return;
    const chunk = this.buffer;
    this.buffer = '';
    this.bytes += Buffer.byteLength(chunk);
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
  }
}

/**
 * Generates the world for `options` and writes `records.jsonl` and `truth.csv` into `outDir`.
 *
 * @example
 * ```ts
 * const result = await writeWorld({ seed: 42, size: 100_000 }, '/tmp/world');
 * result.records // ≈ 100,000
 * ```
 */
export async function writeWorld(options: WorldOptions, outDir: string, opts: WriteWorldOptions = {}): Promise<WriteWorldResult> {
  const started = process.hrtime.bigint();
  mkdirSync(outDir, { recursive: true });
  const files = { records: join(outDir, 'records.jsonl'), truth: join(outDir, 'truth.csv') };
  const recordsOut = new BufferedWriter(createWriteStream(files.records));
  const truthOut = new BufferedWriter(createWriteStream(files.truth));
  await truthOut.write('entity,source,sourceId,trueId\n');

  const counts = {} as WriteWorldResult['counts'];
  const plan = planWorld(options);
  for (const e of ENTITY_TYPES) counts[e] = { erp: 0, crm: 0, fsm: 0, total: 0, trueEntities: plan.presence[e].appearing };
  let records = 0;
  let deleted = 0;
  const every = opts.progressEvery ?? 100_000;
  for (const { record, trueId } of emitWorld(plan)) {
    records++;
    const c = counts[record.entity];
    c[record.source]++;
    c.total++;
    if (record.deleted) deleted++;
    await recordsOut.write(`${JSON.stringify(record)}\n`);
    await truthOut.write(`${record.entity},${record.source},${csvField(record.sourceId)},${trueId}\n`);
    if (opts.onProgress && records % every === 0) opts.onProgress(records);
  }
  await Promise.all([recordsOut.close(), truthOut.close()]);
  return {
    records,
    counts,
    deleted,
    bytes: { records: recordsOut.bytes, truth: truthOut.bytes },
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    files,
  };
}

/**
 * A Markdown table of records per entity and source (plus true entities), as printed by the CLI.
 *
 * @example
 * ```ts
 * console.log(countsTable(result.counts));
 * ```
 */
export function countsTable(counts: WriteWorldResult['counts']): string {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const lines = [
    `| entity | ${SOURCE_NAMES.join(' | ')} | records | true entities |`,
    `|---|${SOURCE_NAMES.map(() => '---:').join('|')}|---:|---:|`,
  ];
  const total = { erp: 0, crm: 0, fsm: 0, total: 0, trueEntities: 0 };
  for (const e of ENTITY_TYPES) {
    const c = counts[e];
    lines.push(`| ${e} | ${SOURCE_NAMES.map((s) => fmt(c[s])).join(' | ')} | ${fmt(c.total)} | ${fmt(c.trueEntities)} |`);
    for (const s of SOURCE_NAMES) total[s] += c[s];
    total.total += c.total;
    total.trueEntities += c.trueEntities;
  }
  lines.push(`| **all** | ${SOURCE_NAMES.map((s) => fmt(total[s])).join(' | ')} | ${fmt(total.total)} | ${fmt(total.trueEntities)} |`);
  return lines.join('\n');
}
