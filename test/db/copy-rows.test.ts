import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPY_BLOB_ROWS } from '../../src/db/bulk';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

/**
 * `BulkSession.copyRows` streams rows into one COPY (PostgreSQL) or copies them in blobs (PGlite):
 * every row arrives as it was, however many pieces or blobs it takes, and a row the server rejects
 * fails the transaction with the server's error and leaves nothing behind.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
  await database.bulk((s) => s.query('CREATE TABLE copy_probe (n integer PRIMARY KEY, body text, doc jsonb)'));
});
afterAll(async () => {
  await database?.close();
});

function* rows(count: number, bad?: number): Generator<Array<string | number | null>> {
  for (let n = 0; n < count; n++) {
    // Long enough that a piece of the PostgreSQL stream holds a few hundred rows only; tabs,
    // newlines and backslashes must survive the COPY text encoding.
    const body = n % 7 === 0 ? null : `row ${n}\twith\nspecial \\ characters ${'x'.repeat(600)}`;
    yield [n, body, n === bad ? '{not json' : JSON.stringify({ n, quote: 'a "quoted" value' })];
  }
}

describe('copyRows', () => {
  it('writes every row as it was, across many pieces and blobs', async () => {
    const count = COPY_BLOB_ROWS * 2 + 123;
    await database.bulk((s) => s.copyRows('copy_probe', ['n', 'body', 'doc'], rows(count)));
    const stored = await database.bulk((s) =>
      s.query<{ n: number; body: string | null; doc: { n: number; quote: string } }>('SELECT n, body, doc FROM copy_probe ORDER BY n'),
    );
    expect(stored).toHaveLength(count);
    const expected = [...rows(count)];
    for (const k of [0, 1, 6, 7, COPY_BLOB_ROWS - 1, COPY_BLOB_ROWS, count - 1]) {
      expect(stored[k]).toEqual({ n: expected[k][0], body: expected[k][1], doc: JSON.parse(expected[k][2] as string) });
    }
    expect(stored.filter((r, k) => r.n !== k || r.body !== expected[k][1] || r.doc.n !== k)).toEqual([]);
  });

  it('fails with the encoder\'s error when a row cannot be encoded, stores none, and leaves the connection usable', async () => {
    await database.bulk((s) => s.query('TRUNCATE copy_probe'));
    function* failing(): Generator<Array<string | number | null>> {
      yield* rows(COPY_BLOB_ROWS + 10);
      throw new Error('no value for row 5010');
    }
    // More transactions than the pool has connections: a connection left in COPY would fail one.
    for (let attempt = 0; attempt < 6; attempt++) {
      await expect(database.bulk((s) => s.copyRows('copy_probe', ['n', 'body', 'doc'], failing()))).rejects.toThrow('no value for row 5010');
    }
    const [{ n }] = await database.bulk((s) => s.query<{ n: number }>('SELECT count(*)::int AS n FROM copy_probe'));
    expect(n).toBe(0);
    await database.bulk((s) => s.copyRows('copy_probe', ['n', 'body', 'doc'], rows(3)));
    const [{ n: after }] = await database.bulk((s) => s.query<{ n: number }>('SELECT count(*)::int AS n FROM copy_probe'));
    expect(after).toBe(3);
  });

  it('fails with the server error on a bad row and stores none of the rows', async () => {
    await database.bulk((s) => s.query('TRUNCATE copy_probe'));
    const count = COPY_BLOB_ROWS * 2;
    const attempt = database.bulk((s) => s.copyRows('copy_probe', ['n', 'body', 'doc'], rows(count, COPY_BLOB_ROWS + 17)));
    await expect(attempt).rejects.toThrow(/json/i);
    const [{ n }] = await database.bulk((s) => s.query<{ n: number }>('SELECT count(*)::int AS n FROM copy_probe'));
    expect(n).toBe(0);
  });
});
