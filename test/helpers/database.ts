import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';

export interface TestDatabase extends Database {
  /** Environment for a child CLI process that must use this same database. */
  env: Record<string, string>;
  /**
   * Lets go of the database and keeps its data, so that a child process can open it (the embedded
   * database allows one process at a time). No-op on PostgreSQL. `close()` still removes it.
   */
  detach(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: a new database on the PostgreSQL server when
 * DATABASE_URL is set, else an embedded PGlite in a temporary directory. `close()` removes it.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `mdm_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: u.toString(), poolSize: 4 });
    const { error } = await migrateToLatest(database.db);
    if (error) throw error;
    return {
      ...database,
      env: { DATABASE_URL: u.toString() },
      detach: async () => undefined,
      async close() {
        await database.close();
        const a = new pg.Client({ connectionString: url });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'mdm-test-'));
  const database = await openDatabase({ dataDir: dir });
  const { error } = await migrateToLatest(database.db);
  if (error) throw error;
  let detached = false;
  return {
    ...database,
    env: { MDM_DATA_DIR: dir, DATABASE_URL: '' },
    async detach() {
      if (!detached) await database.close();
      detached = true;
    },
    async close() {
      if (!detached) await database.close();
      detached = true;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
