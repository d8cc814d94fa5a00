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
  /**
   * `COPY table (columns) FROM STDIN` of rows encoded as they are sent, so memory stays bounded
   * whatever their number. On PostgreSQL one statement streams them under the connection's
   * back-pressure: the server stores rows while the next ones are encoded. PGlite, which runs in
   * this thread, takes them in blobs of {@link COPY_BLOB_ROWS}.
   */
  copyRows(table: string, columns: readonly string[], rows: Iterable<readonly Cell[]>): Promise<void>;
  query<R>(sqlText: string, params?: unknown[]): Promise<R[]>;
}

export type BulkRunner = <T>(fn: (session: BulkSession) => Promise<T>) => Promise<T>;

export type Cell = string | number | boolean | null | undefined;

/** Rows per PGlite COPY of `copyRows`: the text of one blob is built, copied and dropped before the next. */
export const COPY_BLOB_ROWS = 5_000;

/** Characters of COPY text handed to the PostgreSQL connection at a time by `copyRows`. */
const STREAM_PIECE_CHARS = 1 << 18;

function escapeCell(v: Cell): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'string' ? v : String(v);
  // COPY text format: backslash, newline, carriage return and tab must be escaped.
  if (!/[\\\n\r\t]/.test(s)) return s;
  return s.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

/** One row in PostgreSQL's COPY text format, without its line end. */
function copyLine(row: readonly Cell[]): string {
  let line = escapeCell(row[0]);
  for (let j = 1; j < row.length; j++) line += `\t${escapeCell(row[j])}`;
  return line;
}

/** Encodes rows in PostgreSQL's COPY text format. */
export function copyText(rows: readonly (readonly Cell[])[]): string {
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) lines[i] = copyLine(rows[i]);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/**
 * Streams rows into one COPY on a `pg` client: text is handed over in pieces of about
 * {@link STREAM_PIECE_CHARS}, and encoding waits while the connection's buffer is full. A failed
 * COPY (the server rejected a row) stops the encoding and rejects with the server's error; a row
 * that fails to encode (its iterator throws) aborts the COPY (CopyFail) and rejects with that error,
 * leaving the connection ready for the transaction's rollback.
 */
async function streamCopy(client: pg.PoolClient, table: string, columns: readonly string[], rows: Iterable<readonly Cell[]>): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  let failure: Error | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('error', (error: Error) => {
      failure = error;
      reject(error);
    });
    stream.on('finish', () => resolve());
  });
  finished.catch(() => undefined); // awaited below; its rejection is not lost
  const drained = () =>
    new Promise<void>((resolve) => {
      const go = () => {
        stream.off('drain', go);
        stream.off('error', go);
        resolve();
      };
      stream.on('drain', go);
      stream.on('error', go);
    });
  let piece = '';
  try {
    for (const row of rows) {
      if (failure) break;
      piece += `${copyLine(row)}\n`;
      if (piece.length >= STREAM_PIECE_CHARS) {
        const more = stream.write(piece);
        piece = '';
        if (!more && !failure) await drained();
      }
    }
  } catch (error) {
    if (!failure) {
      stream.destroy(error as Error);
      await finished.catch(() => undefined);
    }
    throw error;
  }
  if (!failure) stream.end(piece);
  await finished;
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
        copyRows: (table, columns, rows) => streamCopy(client, table, columns, rows),
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
      const copy = async (table: string, columns: readonly string[], text: string) => {
        await tx.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob: new Blob([text]) });
      };
      const session: BulkSession = {
        copy,
        copyRows: async (table, columns, rows) => {
          let blob: Array<readonly Cell[]> = [];
          for (const row of rows) {
            blob.push(row);
            if (blob.length === COPY_BLOB_ROWS) {
              await copy(table, columns, copyText(blob));
              blob = [];
            }
          }
          if (blob.length > 0) await copy(table, columns, copyText(blob));
        },
        query: async <R>(text: string, params?: unknown[]) => (await tx.query<R>(text, params as never)).rows,
      };
      return fn(session);
    });
}
