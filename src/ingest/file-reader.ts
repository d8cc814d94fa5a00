import { createReadStream } from 'node:fs';
import { parse as parseCsv } from 'csv-parse';
import { MAX_LINE_BYTES } from './canonical-record';
import { readLines } from './line-reader';

/** One item read from an input file: a parsed row, or a row that could not be parsed. */
export type FileItem =
  | { line: number; excerpt: string; row: Record<string, unknown>; text?: string }
  | { line: number; excerpt: string; error: string };

export interface ReadFileOptions {
  format: 'jsonl' | 'csv';
  csv?: { delimiter?: string; quote?: string; escape?: string; trim?: boolean; columns?: string[] };
  /** Called with the number of bytes read so far (for a progress bar). */
  onBytes?: (bytes: number) => void;
}

const EXCERPT_CHARS = 200;

export function excerptOf(text: string): string {
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}...` : text;
}

/**
 * Streams the rows of a JSONL or CSV file; never holds the whole file. Each bad row is yielded
 * as an error with its line number, and reading goes on.
 *
 * @example
 * ```ts
 * for await (const item of readFileRows('customers.csv', { format: 'csv' })) { ... }
 * ```
 */
export function readFileRows(path: string, options: ReadFileOptions): AsyncGenerator<FileItem> {
  return options.format === 'jsonl' ? readJsonl(path, options) : readCsv(path, options);
}

async function* readJsonl(path: string, options: ReadFileOptions): AsyncGenerator<FileItem> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  let bytes = 0;
  for await (const l of readLines(stream, MAX_LINE_BYTES)) {
    bytes += l.bytes + 1;
    options.onBytes?.(bytes);
    if ('oversized' in l) {
      yield { line: l.line, excerpt: excerptOf(l.excerpt), error: `line is ${l.bytes} bytes (at most ${MAX_LINE_BYTES})` };
      continue;
    }
    const text = l.text;
    if (text.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch (error) {
      yield { line: l.line, excerpt: excerptOf(text), error: `not valid JSON: ${(error as Error).message}` };
      continue;
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      yield { line: l.line, excerpt: excerptOf(text), error: 'a record must be a JSON object' };
      continue;
    }
    yield { line: l.line, excerpt: excerptOf(text), row: row as Record<string, unknown>, text };
  }
}

async function* readCsv(path: string, options: ReadFileOptions): AsyncGenerator<FileItem> {
  const csv = options.csv ?? {};
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  let bytes = 0;
  stream.on('data', (chunk) => {
    bytes += chunk.length;
    options.onBytes?.(bytes);
  });
  const skipped: FileItem[] = [];
  const parser = parseCsv({
    columns: csv.columns ?? true,
    delimiter: csv.delimiter ?? ',',
    quote: csv.quote ?? '"',
    escape: csv.escape ?? '"',
    trim: csv.trim ?? false,
    bom: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_LINE_BYTES,
    info: true,
    raw: true,
  });
  parser.on('skip', (err: Error & { lines?: number; raw?: string; record?: string[] }) => {
    const raw = err.raw ?? (err.record ? err.record.join(csv.delimiter ?? ',') : '');
    skipped.push({ line: err.lines ?? 0, excerpt: excerptOf(raw ?? ''), error: `not a valid CSV row: ${err.message}` });
  });
  stream.on('error', (error) => parser.destroy(error));
  stream.pipe(parser);
  for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number }; raw: string }>) {
    while (skipped.length > 0) yield skipped.shift()!;
    const raw = item.raw.replace(/\r?\n$/, '');
    yield { line: item.info.lines, excerpt: excerptOf(raw), row: item.record };
  }
  while (skipped.length > 0) yield skipped.shift()!;
}
