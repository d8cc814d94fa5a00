import { createComplexityRule } from '@pothos/plugin-complexity';
import { GraphQLError, Kind, type OperationDefinitionNode, TypeInfo, ValidationContext, validate } from 'graphql/index.js';
import { createGraphQLError, createYoga, type GraphQLParams, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { bodyText, bodyWasRead } from '../http/body-once';
import { logger } from '../core/logger';
import { isDatabaseUnavailable } from '../db/database';
import type { GraphqlConfig } from './config';
import type { GraphqlContext } from './context';
import { ErrorCode, limitExceeded } from './errors';
import { graphqlSchema } from './graphql-schema';
import { useInputGuard } from './input-guard';

/**
 * Rejects a whole operation over the depth or complexity limit during validation, before any
 * resolver runs. The cost depends on variables (`ids` length, `first`), so it is measured on every
 * request; the rest of validation depends on the document only and is cached per parsed document
 * (yoga's own validation cache would also keep the limit errors, see `parserAndValidationCache`).
 */
function useQueryLimits(config: GraphqlConfig): Plugin<GraphqlContext> {
  // Parsed documents are cached by yoga (one object per query text), so they key this cache; one
  // cache per set of validation rules (by name).
  const validated = new Map<string, WeakMap<object, readonly GraphQLError[]>>();
  return {
    onValidate({ context, params: { schema, documentAST, rules }, setResult }) {
      const request = (context as unknown as { params?: { variables?: Record<string, unknown>; operationName?: string } }).params;
      let cache: WeakMap<object, readonly GraphQLError[]> | undefined;
      if (schema === graphqlSchema()) {
        const rulesKey = rules?.map((rule: { name: string }) => rule.name).join(',') ?? '';
        cache = validated.get(rulesKey);
        if (!cache) validated.set(rulesKey, (cache = new WeakMap()));
      }
      const cached = cache?.get(documentAST);
      if (cached) setResult([...cached]);
      // Measured only once the document is otherwise valid, so an unknown field gives one error, not two.
      return ({ result, setResult }) => {
        if (cache && !cached) cache.set(documentAST, [...result]);
        if (result.length > 0) return;
        const rule = createComplexityRule({
          context,
          variableValues: request?.variables ?? {},
          operationName: request?.operationName,
          validate: (measured, reportError) => {
            if (measured.depth > config.maxDepth) {
              reportError(limitExceeded('depth', config.maxDepth, measured.depth, `query depth ${measured.depth} is over the limit of ${config.maxDepth}; ask for less nested data`));
            } else if (measured.complexity > config.maxComplexity) {
              reportError(
                limitExceeded('complexity', config.maxComplexity, measured.complexity, `query cost ${measured.complexity} is over the limit of ${config.maxComplexity}; select fewer fields or smaller pages`),
              );
            }
          },
        });
        // The rule acts on operation definitions only: call it on them rather than through
        // graphql's validate(), which walks every node of the document with type information
        // (about a twentieth of the hub's CPU on a small query).
        const errors: GraphQLError[] = [];
        const visitor = rule(new ValidationContext(schema, documentAST, new TypeInfo(schema), (error) => errors.push(error))) as {
          OperationDefinition?: { enter?: (node: OperationDefinitionNode) => void; leave?: (node: OperationDefinitionNode) => void };
        };
        // A rule that visits other nodes too (a later version of the plugin) gets the full walk.
        if (Object.keys(visitor).some((key) => key !== 'OperationDefinition')) {
          const walked = validate(schema, documentAST, [rule]);
          if (walked.length > 0) setResult([...walked]);
          return;
        }
        for (const definition of documentAST.definitions) {
          if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
          visitor.OperationDefinition?.enter?.(definition);
          visitor.OperationDefinition?.leave?.(definition);
        }
        if (errors.length > 0) setResult([...errors]);
      };
    },
  };
}

const JSON_TYPES = new Set(['application/json', 'application/graphql+json']);

/**
 * Parses a POST JSON body that the hub has read already (`bodyText`: the request-context middleware
 * reads small GraphQL bodies to name the operation) from that text, with yoga's own checks and
 * errors; any other request goes to yoga's parsers untouched.
 */
function useSharedBody(): Plugin<GraphqlContext> {
  const badRequest = (message: string, extensions: Record<string, unknown> = {}) =>
    createGraphQLError(message, { extensions: { http: { status: 400, ...(extensions.spec ? { spec: true } : {}) }, code: 'BAD_REQUEST', ...(extensions.originalError ? { originalError: extensions.originalError } : {}) } });
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (!requestParser || request.method !== 'POST' || !bodyWasRead(request)) return;
      const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
      if (!JSON_TYPES.has(type)) return;
      setRequestParser(async () => {
        const text = await bodyText(request);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch (error) {
          throw badRequest('POST body sent invalid JSON.', { spec: true, originalError: { name: (error as Error).name, message: (error as Error).message } });
        }
        if (body == null) throw badRequest(`POST body is expected to be object but received ${body}`);
        if (typeof body !== 'object') throw badRequest(`POST body is expected to be object but received ${typeof body}`);
        return body as GraphQLParams;
      });
    },
  };
}

/**
 * The Response class of the moment: on the Node server (`serve()` installs its own lightweight
 * Response globally) an answer with a string body is written to the socket directly, where yoga's
 * default (a fetch ponyfill) would be read back through a stream (about a tenth of the hub's CPU on
 * a small query). Resolved per call, so it does not matter whether yoga or the server starts first.
 */
const CurrentResponse = function Response(body?: BodyInit | null, init?: ResponseInit) {
  return new globalThis.Response(body, init);
} as unknown as typeof Response;
Object.assign(CurrentResponse, {
  json: (data: unknown, init?: ResponseInit) => globalThis.Response.json(data, init),
  error: () => globalThis.Response.error(),
  redirect: (url: string | URL, status?: number) => globalThis.Response.redirect(url, status),
});

type ErrorLike = { message: string; path?: readonly unknown[]; extensions?: Record<string, unknown> };

/** Gives every error of a response an `extensions.code` (parse, validation, or internal). */
function codeFor(error: ErrorLike): string {
  if (error.message.startsWith('Syntax Error')) return ErrorCode.ParseFailed;
  if (error.message.startsWith('Variable "$')) return ErrorCode.BadUserInput;
  if (error.path === undefined) return ErrorCode.ValidationFailed;
  return ErrorCode.Internal;
}

function useErrorCodes(): Plugin<GraphqlContext> {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !result || typeof result !== 'object' || !('errors' in result) || !result.errors) return;
      const errors = result.errors as readonly ErrorLike[];
      if (errors.every((e) => typeof e.extensions?.code === 'string')) return;
      setResult({
        ...result,
        errors: errors.map((e) =>
          typeof e.extensions?.code === 'string'
            ? e
            : new GraphQLError(e.message, {
                path: e.path as ReadonlyArray<string | number> | undefined,
                extensions: { ...e.extensions, code: codeFor(e) },
              }),
        ),
      } as typeof result);
    },
  };
}

/**
 * The graphql-yoga server for /graphql. The per-request `GraphqlContext` (principal, dataloaders)
 * is passed as the server context of `yoga.fetch(request, context)`.
 *
 * @example
 * ```ts
 * const yoga = createGraphqlServer(config);
 * const res = await yoga.fetch(request, createGraphqlContext({ db, principal, config }));
 * ```
 */
export function createGraphqlServer(config: GraphqlConfig): YogaServerInstance<GraphqlContext, {}> {
  return createYoga<GraphqlContext>({
    schema: graphqlSchema(),
    fetchAPI: { Response: CurrentResponse },
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: { title: 'mdm hub GraphQL', defaultQuery: '# Send your key as a header: {"Authorization": "Bearer mdm_..."}\n{ __typename }\n' },
    parserAndValidationCache: { validationCache: false },
    // The /graphql routes limit the body already (hono bodyLimit, 413 before authentication);
    // yoga's own limit would wrap every request body in another stream.
    maxRequestBodySize: false,
    plugins: [useSharedBody(), useInputGuard(config.maxDepth), useQueryLimits(config), useErrorCodes()],
    logging: {
      debug: (...args) => logger.debug({ args: args.map(String) }, 'graphql'),
      info: (...args) => logger.info({ args: args.map(String) }, 'graphql'),
      warn: (...args) => logger.warn({ args: args.map(String) }, 'graphql'),
      error: (...args) => logger.error({ args: args.map(String) }, 'graphql'),
    },
    maskedErrors: {
      maskError: (error) => {
        const original = error instanceof GraphQLError ? error.originalError : error;
        // Pothos refuses arguments it cannot use (a connection cursor that is not one of its own): the caller's input.
        if (original instanceof Error && original.name === 'PothosValidationError') {
          return new GraphQLError(original.message, {
            nodes: error instanceof GraphQLError ? error.nodes : undefined,
            path: error instanceof GraphQLError ? error.path : undefined,
            extensions: { code: ErrorCode.BadUserInput },
          });
        }
        if (error instanceof GraphQLError && (!original || original instanceof GraphQLError)) return error;
        // The database restarting or down: say so, the caller may retry (no stack in the log).
        if (isDatabaseUnavailable(original)) {
          logger.warn({ error: (original as Error).message.slice(0, 200) }, 'GraphQL request failed: the database is unreachable');
          return new GraphQLError('the database is unreachable (restarting or down): retry after 5 s', {
            nodes: error instanceof GraphQLError ? error.nodes : undefined,
            path: error instanceof GraphQLError ? error.path : undefined,
            extensions: { code: ErrorCode.DatabaseUnavailable },
          });
        }
        logger.error({ err: original instanceof Error ? { name: original.name, message: original.message, stack: original.stack } : String(original) }, 'GraphQL request failed');
        return new GraphQLError('internal error; the hub logged the details', {
          nodes: error instanceof GraphQLError ? error.nodes : undefined,
          path: error instanceof GraphQLError ? error.path : undefined,
          extensions: { code: ErrorCode.Internal },
        });
      },
    },
  });
}
