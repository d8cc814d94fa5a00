import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { hasScope } from '../auth/roles';
import type { GraphqlContext } from './context';
import { forbidden } from './errors';

/**
 * The Pothos schema builder. It defines no types: those live in `schema/*.ts`, one file per
 * domain type, and `schema/index.ts` imports them.
 *
 * Auth scopes are computed once per request from the API key's principal:
 * `read` (reader, steward, admin), `pii` (steward, admin), `steward`, `admin`. Each field declares
 * the scopes it needs.
 *
 * @example
 * ```ts
 * builder.queryField('hello', (t) => t.string({ authScopes: { read: true }, resolve: () => 'hi' }));
 * ```
 */
export const builder = new SchemaBuilder<{
  Context: GraphqlContext;
  AuthScopes: { read: boolean; pii: boolean; steward: boolean; admin: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (context) => ({
      read: hasScope(context.principal, 'read'),
      pii: hasScope(context.principal, 'pii'),
      steward: hasScope(context.principal, 'steward'),
      admin: hasScope(context.principal, 'admin'),
    }),
    unauthorizedError: (_parent, context, info) =>
      forbidden(
        context.principal.kind === 'anonymous'
          ? `${info.parentType.name}.${info.fieldName} needs an API key`
          : `the ${context.principal.role} role may not read ${info.parentType.name}.${info.fieldName}`,
      ),
  },
  relay: {
    cursorType: 'String',
    // Golden ids are the public ids integrations store; no Relay global ids or node(id:) lookup.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 10,
    // Limits are enforced as a validation rule per request (see yoga.ts), before execution.
  },
});
