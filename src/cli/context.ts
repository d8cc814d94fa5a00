import { MigrationError } from '../core/errors';
import { type Database, openDatabaseFromEnv } from '../db/database';
import { migrateToLatest } from '../db/migrate';

/** Opens the database the environment selects and brings its schema up to date. */
export async function openMigratedDatabase(): Promise<Database> {
  const database = await openDatabaseFromEnv();
  const { error } = await migrateToLatest(database.db);
  if (error) {
    await database.close();
    throw error instanceof MigrationError ? error : new Error(`migration failed: ${error.message}`);
  }
  return database;
}

/** Runs `fn` with an open, migrated database and always closes it. */
export async function withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openMigratedDatabase();
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** Prints a machine-readable summary as the last line of output. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
