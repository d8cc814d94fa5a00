import type { Context, MiddlewareHandler } from 'hono';
import { logger } from '../core/logger';
import type { Database } from '../db/database';
import { authenticateApiKeyCached } from './principal-cache';
import { ANONYMOUS, type Principal } from './roles';

/** Hono variables set by `apiKeyAuth`. */
export interface AuthEnv {
  Variables: { principal: Principal };
}

export interface ApiKeyAuthOptions {
  database: Database;
  /**
   * Decides whether a request without an `Authorization` header may continue as the anonymous
   * principal (which has no scopes). Default: never. A request with a wrong key is refused
   * whatever this says.
   */
  allowAnonymous?: (c: Context) => boolean | Promise<boolean>;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Answers 401 with the hub's JSON error body and a `WWW-Authenticate: Bearer` challenge.
 *
 * @example
 * ```ts
 * return unauthenticated(c, 'the API key is unknown or revoked');
 * // 401 {"error":{"code":"UNAUTHENTICATED","message":"the API key is unknown or revoked"}}
 * ```
 */
export function unauthenticated(c: Context, message: string): Response {
  c.header('WWW-Authenticate', 'Bearer realm="mdm"');
  return c.json({ error: { code: 'UNAUTHENTICATED', message } }, 401);
}

/**
 * Resolves `Authorization: Bearer <key>` to a principal `{ keyId, role, scopes }` stored in
 * `c.get('principal')`. Missing, malformed, unknown and revoked keys are answered with
 * `401 { error: { code: 'UNAUTHENTICATED', message } }`. Keys are never logged.
 *
 * @example
 * ```ts
 * const routes = new Hono<AuthEnv>();
 * routes.use('*', apiKeyAuth({ database }));
 * routes.get('/', (c) => c.json({ role: c.get('principal').role }));
 * ```
 */
export function apiKeyAuth(options: ApiKeyAuthOptions): MiddlewareHandler<AuthEnv> {
  return async function apiKeyAuthMiddleware(c, next) {
    const header = c.req.header('authorization');
    if (header === undefined || header.trim() === '') {
      if (options.allowAnonymous && (await options.allowAnonymous(c))) {
        c.set('principal', ANONYMOUS);
        return next();
      }
      return unauthenticated(c, 'an API key is required: send "Authorization: Bearer <key>" (create one with `mdm apikey create --role reader`)');
    }
    const match = BEARER.exec(header);
    if (!match) return unauthenticated(c, 'the Authorization header must read "Bearer <key>"');
    const result = await authenticateApiKeyCached(options.database.db, match[1]);
    if (result.kind !== 'authenticated') {
      logger.debug({ reason: result.kind }, 'API key refused');
      return unauthenticated(c, 'the API key is unknown or revoked');
    }
    c.set('principal', result.principal);
    return next();
  };
}
