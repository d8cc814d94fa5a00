import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import { MigrationError } from '../core/errors';
import type { DB } from './schema';

/** The folder of plain SQL migrations, `sql/NNNN_name.sql`, applied in file-name order. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));

export interface MigrationFile {
  name: string;
  checksum: string;
  sql: string;
}

export interface MigrationResult {
  name: string;
  status: 'applied' | 'already-applied';
}

/** Reads `sql/*.sql` in order. */
export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((name) => {
      const text = readFileSync(`${dir}/${name}`, 'utf8');
      return { name, checksum: createHash('sha256').update(text).digest('hex'), sql: text };
    });
}

// Serializes concurrent migrators on a PostgreSQL server (any constant works; this one spells "mdm").
const MIGRATION_LOCK_KEY = 0x6d646d;

/**
 * Applies pending migrations, each in its own transaction, and records them in
 * `schema_migration`. A landed migration whose file changed is an error, never re-applied.
 * Never throws: the outcome is returned.
 *
 * @example
 * ```ts
 * const { error, results } = await migrateToLatest(db);
 * if (error) throw error;
 * ```
 */
export async function migrateToLatest(
  db: Kysely<DB>,
  files: MigrationFile[] = readMigrations(),
): Promise<{ error?: Error; results: MigrationResult[] }> {
  const results: MigrationResult[] = [];
  try {
    await sql`CREATE TABLE IF NOT EXISTS schema_migration (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
    await db.connection().execute(async (conn) => {
      await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
      try {
        const applied = new Map(
          (await conn.selectFrom('schema_migration').select(['name', 'checksum']).execute()).map((r) => [
            r.name,
            r.checksum,
          ]),
        );
        const known = new Set(files.map((f) => f.name));
        for (const name of applied.keys()) {
          if (!known.has(name)) {
            throw new MigrationError(`migration ${name} is recorded in the database but its file is missing from sql/`);
          }
        }
        for (const file of files) {
          const checksum = applied.get(file.name);
          if (checksum !== undefined) {
            if (checksum !== file.checksum) {
              throw new MigrationError(
                `migration ${file.name} was changed after it was applied; landed migrations are never edited, add a new file instead`,
              );
            }
            results.push({ name: file.name, status: 'already-applied' });
            continue;
          }
          await conn.transaction().execute(async (trx) => {
            await sql.raw(file.sql).execute(trx);
            await trx.insertInto('schema_migration').values({ name: file.name, checksum: file.checksum }).execute();
          });
          results.push({ name: file.name, status: 'applied' });
        }
      } finally {
        await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
      }
    });
    return { results };
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)), results };
  }
}

/** True when every migration file is applied (readiness check). */
export async function migrationsCurrent(db: Kysely<DB>, files: MigrationFile[] = readMigrations()): Promise<boolean> {
  const rows = await db.selectFrom('schema_migration').select('name').execute();
  const applied = new Set(rows.map((r) => r.name));
  return files.every((f) => applied.has(f.name));
}
