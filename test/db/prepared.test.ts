import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database';
import { executePrepared, statementName } from '../../src/db/prepared';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

const lookup = (ids: string[]) => sql<{ id: string; n: number }>`SELECT v.id, length(v.id) AS n FROM unnest(${ids}::text[]) AS v(id) ORDER BY v.id`;

describe('executePrepared', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('answers like the ordinary query, whatever the number of keys', async () => {
    for (const ids of [['b', 'a'], ['ccc'], [], ['x', 'yy', 'zzz', 'w']]) {
      const plain = await lookup(ids).execute(database.db);
      const prepared = await executePrepared(database.db, lookup(ids));
      expect(prepared.rows).toEqual(plain.rows);
      expect(prepared.rows.map((r) => r.id)).toEqual([...ids].sort());
    }
    // One text for every batch size: one statement.
    expect(statementName(lookup(['a']).compile(database.db).sql)).toBe(statementName(lookup(['a', 'b', 'c']).compile(database.db).sql));
  });

  it('runs inside a transaction and reports errors like an ordinary query', async () => {
    const rows = await database.db.transaction().execute(async (tx) => (await executePrepared(tx, lookup(['t']))).rows);
    expect(rows).toEqual([{ id: 't', n: 1 }]);
    const bad = sql`SELECT ${'x'}::int AS broken`;
    await expect(executePrepared(database.db, bad)).rejects.toThrow(/invalid input syntax for type integer/);
    // The connection and the statement stay usable after the error.
    expect((await executePrepared(database.db, sql<{ v: number }>`SELECT ${'7'}::int AS v`)).rows).toEqual([{ v: 7 }]);
  });
});

const onPostgres = Boolean(process.env.DATABASE_URL);

describe(onPostgres ? 'named statements on a PostgreSQL server' : 'no named statements on the embedded database', () => {
  let database: TestDatabase;
  const opened: Database[] = [];
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    for (const d of opened) await d.close();
    await database?.close();
  });

  const statementsOf = async (db: Database) =>
    (await sql<{ name: string; generic_plans: string; custom_plans: string }>`SELECT name, generic_plans, custom_plans FROM pg_prepared_statements`.execute(db.db)).rows;
  /** A database handle with one connection (the embedded database has one anyway). */
  const single = async (options: { preparedStatements?: boolean } = {}) => {
    if (!onPostgres) return database;
    const one = await openDatabase({ databaseUrl: database.env.DATABASE_URL, poolSize: 1, ...options });
    opened.push(one);
    return one;
  };

  it(onPostgres ? 'parses a marked text once per connection and plans it once, generically' : 'runs marked texts as ordinary queries', async () => {
    const one = await single();
    for (let i = 0; i < 12; i++) await executePrepared(one.db, lookup([`k${i}`, 'z']));
    const name = statementName(lookup(['a']).compile(one.db).sql);
    expect(name).toMatch(/^mdm_[0-9a-f]{20}$/);
    if (!onPostgres) {
      expect(await statementsOf(one)).toEqual([]);
      return;
    }
    const found = (await statementsOf(one)).filter((s) => s.name === name);
    expect(found).toHaveLength(1);
    expect(Number(found[0].generic_plans)).toBe(12);
    expect(Number(found[0].custom_plans)).toBe(0);
    // An ordinary query leaves no statement behind.
    await lookup(['q']).execute(one.db);
    await sql`SELECT 1 AS unmarked`.execute(one.db);
    expect((await statementsOf(one)).map((s) => s.name)).toEqual([name]);

    // A replaced connection prepares the statement again: the first query after the cut fails on
    // the dead connection (the pool drops it), the next one runs on a new connection.
    const pid = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(one.db)).rows[0].pid;
    const admin = new pg.Client({ connectionString: database.env.DATABASE_URL });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();
    await executePrepared(one.db, lookup(['b'])).catch(() => undefined);
    expect((await executePrepared(one.db, lookup(['c']))).rows.map((r) => r.id)).toEqual(['c']);
    expect((await statementsOf(one)).map((s) => s.name)).toEqual([name]);
  });

  it('runs marked texts as ordinary queries when switched off (MDM_PG_PREPARED=0)', async () => {
    const off = await single({ preparedStatements: false });
    const result = await executePrepared(off.db, lookup(['a', 'b']));
    expect(result.rows.map((r) => r.id)).toEqual(['a', 'b']);
    expect(await statementsOf(off)).toEqual([]);
  });
});
