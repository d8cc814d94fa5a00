// graphql-js is imported by its CommonJS entry everywhere in src/graphql: graphql-yoga, Pothos and
// envelop load that one, and a second copy (the .mjs that a bundler-style resolver picks for a bare
// 'graphql') would make `instanceof GraphQLError` fail, so our errors would be masked as internal.
import { GraphQLError } from 'graphql/index.js';

/**
 * The `extensions.code` values the GraphQL endpoint answers with. Every error in a response has
 * one; HTTP-level refusals (401, 413) use the same codes in `{ error: { code, message } }`.
 *
 * @example
 * ```ts
 * throw limitExceeded('batchSize', 500, 501, 'goldenRecords takes at most 500 ids (got 501); split the batch');
 * ```
 */
export const ErrorCode = {
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  BadUserInput: 'BAD_USER_INPUT',
  LimitExceeded: 'LIMIT_EXCEEDED',
  ParseFailed: 'GRAPHQL_PARSE_FAILED',
  ValidationFailed: 'GRAPHQL_VALIDATION_FAILED',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  Internal: 'INTERNAL_SERVER_ERROR',
  DatabaseUnavailable: 'DATABASE_UNAVAILABLE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export type LimitName = 'batchSize' | 'pageSize' | 'depth' | 'complexity' | 'breadth';

/** A request over one of the configured limits (`extensions: { code, limit, max, actual }`). */
export function limitExceeded(limit: LimitName, max: number, actual: number, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.LimitExceeded, limit, max, actual } });
}

/** An argument that cannot be used as given. */
export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BadUserInput, ...(argument ? { argument } : {}) } });
}

/** The caller's key lacks the scope a field needs. */
export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Forbidden } });
}
