import type { GraphqlConfig } from './config';
import { badUserInput, limitExceeded } from './errors';

/**
 * Checks `first`/`last` of a connection against the page-size limit (LIMIT_EXCEEDED) and refuses
 * negative sizes (BAD_USER_INPUT).
 *
 * @example
 * ```ts
 * checkPageSize({ first: 500 }, config); // throws LIMIT_EXCEEDED (limit: pageSize) with the default limit of 100
 * ```
 */
export function checkPageSize(args: { first?: number | null; last?: number | null }, config: GraphqlConfig): void {
  for (const name of ['first', 'last'] as const) {
    const size = args[name];
    if (size === null || size === undefined) continue;
    if (size < 0) throw badUserInput(`${name} must be 0 or more`, name);
    if (size > config.maxPageSize) throw limitExceeded('pageSize', config.maxPageSize, size, `${name} may be at most ${config.maxPageSize} (got ${size}); page with after/before`);
  }
}

/** Opaque cursor text of a connection: base64url of `prefix:value`. */
export function encodeCursor(prefix: string, value: string): string {
  return Buffer.from(`${prefix}:${value}`, 'utf8').toString('base64url');
}

/** The value of a cursor made by `encodeCursor` with the same prefix; BAD_USER_INPUT for any other. */
export function decodeCursor(prefix: string, cursor: string | null | undefined, argument: string): string | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith(`${prefix}:`)) throw badUserInput(`${argument} is not a cursor of this connection`, argument);
  return decoded.slice(prefix.length + 1);
}
