/**
 * A fresh database per drill run: a new database on the PostgreSQL server of DATABASE_URL
 * (created, then dropped), else an embedded PGlite data directory (removed at the end). Hub
 * processes get `env`; the drill reads and checks through `use()`, which on the embedded
 * database must not overlap a running hub process (the data directory allows one process).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { type Database, openDatabase } from '../../../src/db/database';
import { migrateToLatest } from '../../../src/db/migrate';
import { drillTempDir } from './world';

export interface DrillDatabase {
  kind: 'postgres' | 'pglite';
  /** Environment for `mdm` child processes on this database. */
  env: Record<string, string>;
  /** Opens the database (migrated), runs `fn`, closes it. */
  use<T>(fn: (database: Database) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

export async function freshDatabase(label: string): Promise<DrillDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `mdm_drill_${label}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    const databaseUrl = u.toString();
    const drill: DrillDatabase = {
      kind: 'postgres',
      env: { DATABASE_URL: databaseUrl },
      async use(fn) {
        const database = await openDatabase({ databaseUrl, poolSize: 2 });
        try {
          return await fn(database);
        } finally {
          await database.close();
        }
      },
      async drop() {
        const a = new pg.Client({ connectionString: url });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
    await drill.use(migrate);
    return drill;
  }
  const dir = drillTempDir(`mdm-drill-${label}-`);
  const drill: DrillDatabase = {
    kind: 'pglite',
    env: { MDM_DATA_DIR: dir, DATABASE_URL: '' },
    async use(fn) {
      const database = await openDatabase({ dataDir: dir });
      try {
        return await fn(database);
      } finally {
        await database.close();
      }
    },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await drill.use(migrate);
  return drill;
}

async function migrate(database: Database): Promise<void> {
  const { error } = await migrateToLatest(database.db);
  if (error) throw error;
}
