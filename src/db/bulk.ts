import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * A transaction for bulk writes: rows go in through COPY (the fastest path on both databases),
 * then set-based SQL runs over them. Used by ingest; everything else goes through Kysely.
 */
export interface BulkSession {
  /** `COPY table (columns) FROM STDIN` with rows already encoded by `copyText`. */
  copy(table: string, columns: readonly string[], text: string): Promise<void>;
  query<R>(sqlText: string, params?: unknown[]): Promise<R[]>;
}

export type BulkRunner = <T>(fn: (session: BulkSession) => Promise<T>) => Promise<T>;

type Cell = string | number | boolean | null | undefined;

function escapeCell(v: Cell): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'string' ? v : String(v);
  // COPY text format: backslash, newline, carriage return and tab must be escaped.
  if (!/[\\\n\r\t]/.test(s)) return s;
  return s.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

/** Encodes rows in PostgreSQL's COPY text format. */
export function copyText(rows: readonly (readonly Cell[])[]): string {
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    let line = escapeCell(row[0]);
    for (let j = 1; j < row.length; j++) line += `\t${escapeCell(row[j])}`;
    lines[i] = line;
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

export function pgBulkRunner(pool: pg.Pool): BulkRunner {
  return async (fn) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const session: BulkSession = {
        copy: (table, columns, text) =>
          new Promise((resolve, reject) => {
            const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
            stream.on('error', reject);
            stream.on('finish', () => resolve());
            stream.end(text);
          }),
        query: async (text, params) => (await client.query(text, params as unknown[])).rows,
      };
      const result = await fn(session);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
}

export function pgliteBulkRunner(pglite: PGlite): BulkRunner {
  return (fn) =>
    pglite.transaction(async (tx: PGliteTransaction) => {
      const session: BulkSession = {
        copy: async (table, columns, text) => {
          await tx.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob: new Blob([text]) });
        },
        query: async <R>(text: string, params?: unknown[]) => (await tx.query<R>(text, params as never)).rows,
      };
      return fn(session);
    });
}
