import type { Kysely } from 'kysely';
import { hasScope, type Principal } from '../auth/roles';
import type { Database } from '../db/database';
import type { DB } from '../db/schema';
import type { AuthDB } from '../auth/api-key.repository';
import type { GraphqlConfig } from './config';
import { createLoaders, type Loaders } from './loaders';
import { type GoldenLookup, lookupGoldenRecord } from './lookup';

/**
 * What every resolver receives. One is created per request: its dataloaders and its auth scopes
 * belong to that request only.
 *
 * @example
 * ```ts
 * const context = createGraphqlContext({ db, principal, config });
 * await context.lookup('G-9W4Q2M7TK1XZ3'); // { requestedId, redirected, record }
 * ```
 */
export interface GraphqlContext {
  principal: Principal;
  db: Kysely<DB>;
  /** The database handle services take (transactions, bulk work); `database.db` is `db`. */
  database: Database;
  config: GraphqlConfig;
  loaders: Loaders;
  /** Resolves a golden id through redirects to its current record (batched). */
  lookup(id: string): Promise<GoldenLookup | null>;
  /** True when the caller may see personal attributes. */
  canSeePii: boolean;
  /** Who acts in steward mutations: the API key's name and id, e.g. `anna (api key 7)` (one query, cached). */
  actor(): Promise<string>;
  /** The request's correlation id (X-Request-Id, traceparent, else generated): change events carry it. */
  correlationId: string | null;
}

export function createGraphqlContext(options: { db: Kysely<DB>; principal: Principal; config: GraphqlConfig; database?: Database; correlationId?: string | null }): GraphqlContext {
  const loaders = createLoaders(options.db, { maxBatchSize: Math.max(options.config.maxBatchSize, 100) });
  let actor: Promise<string> | undefined;
  const principal = options.principal;
  return {
    principal,
    db: options.db,
    database: options.database ? { ...options.database, db: options.db } : ({ db: options.db } as Database),
    actor: () =>
      (actor ??= (async () => {
        if (principal.kind !== 'api-key') return 'anonymous';
        const row = await (options.db as unknown as Kysely<AuthDB>).selectFrom('api_key').select('name').where('id', '=', principal.keyId).executeTakeFirst();
        return `${row?.name ?? 'unnamed'} (api key ${principal.keyId})`;
      })()),
    config: options.config,
    correlationId: options.correlationId ?? null,
    loaders,
    lookup: (id) => lookupGoldenRecord(loaders, id),
    canSeePii: hasScope(options.principal, 'pii'),
  };
}
