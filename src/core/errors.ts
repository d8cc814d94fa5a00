/**
 * Errors that cross layers. Each is mapped once at the edge (CLI exit code, HTTP status).
 *
 * @example
 * ```ts
 * throw new UsageError('cannot read file ./x.jsonl: no such file');
 * ```
 */

/** The user asked for something that cannot be done as asked (bad file, bad option). CLI exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Another process holds the embedded data directory. CLI exit 1. */
export class DataDirectoryLockedError extends Error {
  override readonly name = 'DataDirectoryLockedError';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`data directory ${dataDir} is in use by process ${pid}; stop it or set MDM_DATA_DIR`);
  }
}

/** The stored migrations disagree with the files in sql/ (a landed migration was edited or removed). */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}
