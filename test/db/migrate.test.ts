import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateToLatest, migrationsCurrent, readMigrations } from '../../src/db/migrate';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('migrations', () => {
  it('has applied every file in sql/ in order and records them', async () => {
    const files = readMigrations();
    expect(files.length).toBeGreaterThan(0);
    expect(files.map((f) => f.name)).toEqual([...files.map((f) => f.name)].sort());
    const rows = await database.db.selectFrom('schema_migration').select('name').orderBy('name').execute();
    expect(rows.map((r) => r.name)).toEqual(files.map((f) => f.name));
    expect(await migrationsCurrent(database.db)).toBe(true);
  });

  it('is idempotent', async () => {
    const { error, results } = await migrateToLatest(database.db);
    expect(error).toBeUndefined();
    expect(results.every((r) => r.status === 'already-applied')).toBe(true);
  });

  it('applies a new file and refuses an edited landed one, without throwing', async () => {
    const files = readMigrations();
    const extra = { name: '9999_test_extra.sql', checksum: 'c1', sql: 'CREATE TABLE test_extra (id int);' };
    const applied = await migrateToLatest(database.db, [...files, extra]);
    expect(applied.error).toBeUndefined();
    expect(applied.results.at(-1)).toEqual({ name: '9999_test_extra.sql', status: 'applied' });
    await sql`SELECT * FROM test_extra`.execute(database.db);
    const edited = await migrateToLatest(database.db, [...files, { ...extra, checksum: 'c2' }]);
    expect(edited.error?.message).toBe(
      'migration 9999_test_extra.sql was changed after it was applied; landed migrations are never edited, add a new file instead',
    );
    const missing = await migrateToLatest(database.db, files);
    expect(missing.error?.message).toMatch(/9999_test_extra.sql is recorded in the database but its file is missing/);
    await sql`DROP TABLE test_extra`.execute(database.db);
    await database.db.deleteFrom('schema_migration').where('name', '=', '9999_test_extra.sql').execute();
  });

  it('rolls back a failing migration whole', async () => {
    const files = readMigrations();
    const bad = { name: '9998_bad.sql', checksum: 'b', sql: 'CREATE TABLE half_done (id int); SELECT * FROM no_such_table;' };
    const result = await migrateToLatest(database.db, [...files, bad]);
    expect(result.error?.message).toMatch(/no_such_table/);
    const exists = await sql<{ t: string | null }>`SELECT to_regclass('half_done')::text AS t`.execute(database.db);
    expect(exists.rows[0].t).toBeNull();
  });
});
