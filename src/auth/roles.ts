/**
 * Roles of API keys and the scopes they grant. A role is what an operator assigns
 * (`mdm apikey create --role steward`); a scope is what a GraphQL field or HTTP route checks.
 *
 * | role              | scopes                               |
 * |-------------------|--------------------------------------|
 * | `reader`          | `read`                               |
 * | `steward`         | `read`, `pii`, `steward`             |
 * | `admin`           | `read`, `pii`, `steward`, `admin`    |
 * | `ingest:<source>` | `ingest:<source>` (no read)          |
 *
 * @example
 * ```ts
 * parseRole('ingest:erp') // { ok: true, role: 'ingest:erp' }
 * scopesForRole('steward') // ['read', 'pii', 'steward']
 * ```
 */
export type Role = 'reader' | 'steward' | 'admin' | `ingest:${string}`;

export type Scope = 'read' | 'pii' | 'steward' | 'admin' | `ingest:${string}`;

const SOURCE_NAME = /^[a-z0-9_-]{1,40}$/;

/** Checks a role name; the error says which roles exist. */
export function parseRole(value: string): { ok: true; role: Role } | { ok: false; message: string } {
  if (value === 'reader' || value === 'steward' || value === 'admin') return { ok: true, role: value };
  if (value.startsWith('ingest:') && SOURCE_NAME.test(value.slice('ingest:'.length))) return { ok: true, role: value as Role };
  return {
    ok: false,
    message: `role "${value}" is not known (expected reader, steward, admin or ingest:<source> with a source name of [a-z0-9_-]{1,40})`,
  };
}

/** The scopes a role grants. */
export function scopesForRole(role: Role): Scope[] {
  switch (role) {
    case 'reader':
      return ['read'];
    case 'steward':
      return ['read', 'pii', 'steward'];
    case 'admin':
      return ['read', 'pii', 'steward', 'admin'];
    default:
      return [role];
  }
}

/**
 * Who is calling: the API key that authenticated the request, its role and scopes. `anonymous`
 * is only ever used for schema browsing (GraphiQL, introspection) when explicitly allowed.
 *
 * @example
 * ```ts
 * const principal: Principal = { kind: 'api-key', keyId: '7', role: 'reader', scopes: ['read'] };
 * ```
 */
export type Principal =
  | { kind: 'api-key'; keyId: string; role: Role; scopes: Scope[] }
  | { kind: 'anonymous'; keyId: null; role: null; scopes: [] };

export const ANONYMOUS: Principal = { kind: 'anonymous', keyId: null, role: null, scopes: [] };

/** True when the principal holds the scope. */
export function hasScope(principal: Principal, scope: Scope): boolean {
  return (principal.scopes as readonly string[]).includes(scope);
}
