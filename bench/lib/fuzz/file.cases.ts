import { ENTITY_ATTRIBUTES, type EntityType } from '../../../src/core/entities';
import type { Mapping } from '../../../src/ingest/mapping';
import type { Rng } from '../../../src/sim/world/random';
import { mutateRecord, type RecordPool, recordText, type Verdict } from './records';
import { CONTROL, INVALID_DATES, mutateText, randomBytes, SQL_INJECTIONS, truncate, UNICODE } from './values';

/**
 * File ingest cases: JSONL and CSV files (with and without a mapping) of mutated world records
 * and broken lines, each data line labelled valid, invalid or unknown. One line is one case.
 */

export interface FileLine {
  /** 1-based line (JSONL) or record (CSV) number as the hub reports it; null when the hub cannot know it exactly. */
  line: number | null;
  verdict: Verdict | 'unknown';
  entity?: string;
  source?: string;
  sourceId?: string;
  /** The record as it must be stored in `raw` (JSONL: the parsed line; CSV: the row), when checked. */
  raw?: unknown;
  mutations: string[];
  /** The line's text, for the report. */
  text: string;
}

export interface FileCase {
  kind: string;
  format: 'jsonl' | 'csv';
  content: Buffer;
  lines: FileLine[];
  /** How many rows the reader must report (read count); null when not known exactly. */
  expectedRead: number | null;
  options: { entity?: EntityType; source?: string; mapping?: Mapping };
}

export function jsonlFile(rng: Rng, pool: RecordPool, fileNo: number, size: number): FileCase {
  const texts: string[] = [];
  const lines: FileLine[] = [];
  let lineNo = 0;
  let read = 0;
  const crlf = rng.chance(0.2);
  for (let i = 0; i < size; i++) {
    lineNo++;
    const r = rng.int(40);
    if (r === 0) {
      texts.push(rng.chance(0.5) ? '' : '   \t');
      continue; // blank lines are skipped, not read
    }
    read++;
    if (r === 1) {
      const t = truncate(rng, recordText(mutateRecord(rng, pool.pick(rng), 0, `f${fileNo}.${i}`))) || '{';
      texts.push(t);
      lines.push({ line: lineNo, verdict: 'invalid', mutations: ['truncated'], text: t });
    } else if (r === 2) {
      const t = rng.pick(['null', '[]', '[{"entity":"product"}]', '"text"', '42', 'true', 'NaN', '{}']);
      texts.push(t);
      lines.push({ line: lineNo, verdict: 'invalid', mutations: ['notARecord'], text: t });
    } else if (r === 3) {
      const t = Buffer.from(randomBytes(rng, rng.range(1, 300))).toString('latin1').replace(/[\n]/g, ' ');
      texts.push(t);
      lines.push({ line: lineNo, verdict: 'unknown', mutations: ['randomBytes'], text: t });
    } else if (r === 4) {
      const t = mutateText(rng, recordText(mutateRecord(rng, pool.pick(rng), 0, `f${fileNo}.${i}`))).replace(/\n/g, ' ');
      texts.push(t);
      lines.push({ line: lineNo, verdict: 'unknown', mutations: ['mutatedText'], text: t });
    } else if (r === 5) {
      const t = `{"entity":"product","sourceId":"big-${fileNo}-${i}","name":"${'x'.repeat(1024 * 1024 + rng.range(1, 5000))}"}`;
      texts.push(t);
      lines.push({ line: lineNo, verdict: 'invalid', mutations: ['lineOver1MB'], text: t });
    } else {
      const m = mutateRecord(rng, pool.pick(rng), 0.3, `f${fileNo}.${i}`);
      const t = recordText(m);
      texts.push(t);
      const tooLong = Buffer.byteLength(t) > 1024 * 1024;
      lines.push({
        line: lineNo,
        verdict: tooLong ? 'invalid' : m.verdict,
        entity: typeof m.record.entity === 'string' ? m.record.entity : undefined,
        source: typeof m.record.source === 'string' ? m.record.source : undefined,
        sourceId: typeof m.record.sourceId === 'string' ? m.record.sourceId : undefined,
        raw: m.text ? undefined : JSON.parse(t),
        mutations: m.mutations,
        text: t,
      });
    }
  }
  const eol = crlf ? '\r\n' : '\n';
  let text = texts.join(eol);
  if (rng.chance(0.7)) text += eol;
  const bom = rng.chance(0.1);
  const content = Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
  return { kind: `jsonl${crlf ? '-crlf' : ''}${bom ? '-bom' : ''}`, format: 'jsonl', content, lines, expectedRead: read, options: {} };
}

function csvCell(value: string, delimiter: string): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A CSV file of one entity type (header row, one record per row). Without a mapping the entity and
 * source come from the ingest options; with one, from the mapping's constants, and a date column
 * arrives as DD.MM.YYYY.
 */
export function csvFile(rng: Rng, pool: RecordPool, fileNo: number, size: number): FileCase {
  const withMapping = rng.chance(0.3);
  let base = pool.pick(rng);
  const entity = base.entity as EntityType;
  const source = base.source as string;
  const attributes = Object.keys(ENTITY_ATTRIBUTES[entity]);
  const dateAttrs = attributes.filter((a) => ENTITY_ATTRIBUTES[entity][a].kind === 'date');
  const delimiter = withMapping ? ';' : ',';
  const protoColumn = rng.chance(0.15) ? rng.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty']) : null;
  const columns = ['sourceId', 'updatedAt', ...attributes, ...(protoColumn ? [protoColumn] : [])];
  const header = columns.map((c) => (withMapping && c === 'sourceId' ? 'ID' : c)).join(delimiter);
  const rows: string[] = [header];
  const lines: FileLine[] = [];
  let physical = 1;
  let exact = true;
  for (let i = 0; i < size; i++) {
    base = pool.pick(rng);
    for (let tries = 0; tries < 20 && base.entity !== entity; tries++) base = pool.pick(rng);
    if (base.entity !== entity) continue;
    // No prototype: a column may be named __proto__.
    const values: Record<string, string> = Object.create(null);
    for (const c of columns) {
      const v = c === protoColumn ? 'p' : base[c];
      values[c] = v === undefined || v === null ? '' : Array.isArray(v) ? v.join('|') : String(v);
    }
    values.sourceId = `${String(base.sourceId).slice(0, 40)}~c${fileNo}.${i}`;
    let verdict: Verdict | 'unknown' = 'valid';
    const mutations: string[] = [];
    const stringAttrs = attributes.filter((a) => ENTITY_ATTRIBUTES[entity][a].kind === 'string');
    for (let k = 0; k < rng.int(3); k++) {
      const a = rng.pick(stringAttrs);
      values[a] = rng.pick([rng.pick(SQL_INJECTIONS), rng.pick(UNICODE), `a${rng.pick(CONTROL)}b`, 'with, comma', 'with "quotes"', ' padded ', 'x'.repeat(rng.range(100, 30_000))]);
      mutations.push('hostileCell');
    }
    const r = rng.int(25);
    let rowText: string | undefined;
    if (r === 0 && dateAttrs.length > 0) {
      values[rng.pick(dateAttrs)] = rng.pick(INVALID_DATES.filter((d) => d !== '' && !(withMapping && /^\d{1,2}\.\d{1,2}\.\d{4}$/.test(d))));
      verdict = 'invalid';
      mutations.push('invalidDate');
    } else if (r === 1) {
      values.sourceId = '';
      verdict = 'invalid';
      mutations.push('noSourceId');
    } else if (r === 2) {
      values[rng.pick(stringAttrs)] = 'é'.repeat(rng.range(32_769, 40_000));
      verdict = 'invalid';
      mutations.push('hugeCell');
    } else if (r === 3) {
      values[rng.pick(stringAttrs)] = `nul\u0000byte`;
      verdict = 'invalid';
      mutations.push('nulByte');
    } else if (r === 4) {
      const cells = columns.map((c) => csvCell(values[c], delimiter));
      rowText = rng.chance(0.5) ? cells.slice(0, -1).join(delimiter) : [...cells, 'extra'].join(delimiter);
      verdict = 'invalid';
      mutations.push('columnCount');
    } else if (r === 5) {
      values.updatedAt = 'not-a-date';
      verdict = 'invalid';
      mutations.push('invalidUpdatedAt');
    } else if (r === 6 && entity === 'customer') {
      values.kind = 'company';
      verdict = 'invalid';
      mutations.push('badEnum');
    } else if (r === 7) {
      values[rng.pick(stringAttrs)] = 'two\nlines';
      mutations.push('embeddedNewline');
    }
    if (withMapping && dateAttrs.length > 0) {
      for (const a of dateAttrs) {
        const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(values[a]);
        if (m) values[a] = `${m[3]}.${m[2]}.${m[1]}`;
      }
    }
    const text = rowText ?? columns.map((c) => csvCell(values[c], delimiter)).join(delimiter);
    rows.push(text);
    // The hub reports the line where a record ends, as csv-parse counts it: every CR and every LF
    // inside a quoted cell counts as a line break (so CRLF inside a cell counts two).
    physical += 1 + (text.match(/[\r\n]/g) ?? []).length;
    const raw: Record<string, unknown> | undefined = verdict === 'valid' && !withMapping ? Object.fromEntries(columns.map((c) => [c, values[c]])) : undefined;
    lines.push({ line: physical, verdict, entity, source, sourceId: values.sourceId || undefined, raw, mutations, text });
  }
  if (rng.chance(0.05)) {
    // An unterminated quote swallows the rest of the file into one broken record.
    rows.push(`"unterminated${delimiter}x`);
    lines.push({ line: null, verdict: 'invalid', mutations: ['unterminatedQuote'], text: rows[rows.length - 1] });
    exact = false;
  }
  const eol = rng.chance(0.2) ? '\r\n' : '\n';
  const content = Buffer.from(`${rng.chance(0.1) ? '\ufeff' : ''}${rows.join(eol)}${eol}`, 'utf8');
  const mapping: Mapping | undefined = withMapping
    ? {
        format: 'csv',
        csv: { delimiter: ';' },
        constants: { entity, source },
        fields: {
          sourceId: 'ID',
          ...Object.fromEntries(dateAttrs.map((a) => [a, { column: a, transforms: [{ date: 'DD.MM.YYYY' as const }] }])),
        },
      }
    : undefined;
  return {
    kind: `csv${withMapping ? '-mapping' : ''}${protoColumn ? '-proto-column' : ''}${eol === '\r\n' ? '-crlf' : ''}`,
    format: 'csv',
    content,
    lines,
    expectedRead: exact ? lines.length : null,
    options: withMapping ? { mapping } : { entity, source },
  };
}
