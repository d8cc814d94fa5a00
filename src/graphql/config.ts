/**
 * Limits and switches of the GraphQL endpoint. Every limit is enforced before any database work
 * for the part of the request it guards.
 *
 * @example
 * ```ts
 * const config = graphqlConfigFromEnv({ MDM_GRAPHIQL_ANONYMOUS: '1' });
 * config.anonymousSchemaBrowsing; // true
 * config.maxBatchSize; // 500
 * ```
 */
export interface GraphqlConfig {
  /** Most ids in one `goldenRecords(ids:)` call. */
  maxBatchSize: number;
  /** Largest `first`/`last` of a connection. */
  maxPageSize: number;
  /** Page size when a connection is asked without `first`/`last`. */
  defaultPageSize: number;
  /** Deepest selection nesting (the root field counts 1). */
  maxDepth: number;
  /** Highest query cost (plugin-complexity: 1 per field, lists multiply their selection). */
  maxComplexity: number;
  /** Largest request body in bytes; larger ones get 413. */
  maxBodyBytes: number;
  /** GraphiQL and introspection-only queries without an API key (never data). */
  anonymousSchemaBrowsing: boolean;
  /** How often a subscription polls the outbox / match queue for changes, in milliseconds. */
  subscriptionPollMs: number;
}

export const DEFAULT_GRAPHQL_CONFIG: GraphqlConfig = {
  maxBatchSize: 500,
  maxPageSize: 100,
  defaultPageSize: 20,
  maxDepth: 12,
  maxComplexity: 50_000,
  maxBodyBytes: 1024 * 1024,
  anonymousSchemaBrowsing: false,
  subscriptionPollMs: 500,
};

function positiveInt(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * Reads `MDM_GRAPHIQL_ANONYMOUS` (`1`/`true` allows schema browsing without a key),
 * `MDM_GRAPHQL_MAX_BATCH`, `MDM_GRAPHQL_MAX_PAGE`, `MDM_GRAPHQL_MAX_DEPTH`,
 * `MDM_GRAPHQL_MAX_COMPLEXITY`, `MDM_HTTP_MAX_BODY_BYTES` and `MDM_GRAPHQL_POLL_MS`; anything else keeps its default.
 */
export function graphqlConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GraphqlConfig {
  const d = DEFAULT_GRAPHQL_CONFIG;
  return {
    maxBatchSize: positiveInt(env.MDM_GRAPHQL_MAX_BATCH, d.maxBatchSize),
    maxPageSize: positiveInt(env.MDM_GRAPHQL_MAX_PAGE, d.maxPageSize),
    defaultPageSize: d.defaultPageSize,
    maxDepth: positiveInt(env.MDM_GRAPHQL_MAX_DEPTH, d.maxDepth),
    maxComplexity: positiveInt(env.MDM_GRAPHQL_MAX_COMPLEXITY, d.maxComplexity),
    maxBodyBytes: positiveInt(env.MDM_HTTP_MAX_BODY_BYTES, d.maxBodyBytes),
    subscriptionPollMs: positiveInt(env.MDM_GRAPHQL_POLL_MS, d.subscriptionPollMs),
    anonymousSchemaBrowsing: env.MDM_GRAPHIQL_ANONYMOUS === '1' || env.MDM_GRAPHIQL_ANONYMOUS === 'true',
  };
}
