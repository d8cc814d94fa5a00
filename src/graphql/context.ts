import type { Kysely } from 'kysely';
import { hasScope, type Principal } from '../auth/roles';
import type { DB } from '../db/schema';
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
  config: GraphqlConfig;
  loaders: Loaders;
  /** Resolves a golden id through redirects to its current record (batched). */
  lookup(id: string): Promise<GoldenLookup | null>;
  /** True when the caller may see personal attributes. */
  canSeePii: boolean;
}

export function createGraphqlContext(options: { db: Kysely<DB>; principal: Principal; config: GraphqlConfig }): GraphqlContext {
  const loaders = createLoaders(options.db, { maxBatchSize: Math.max(options.config.maxBatchSize, 100) });
  return {
    principal: options.principal,
    db: options.db,
    config: options.config,
    loaders,
    lookup: (id) => lookupGoldenRecord(loaders, id),
    canSeePii: hasScope(options.principal, 'pii'),
  };
}
