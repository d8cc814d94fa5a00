import { type DocumentNode, GraphQLError, visit } from 'graphql/index.js';
import type { Plugin } from 'graphql-yoga';
import type { GraphqlContext } from './context';
import { badUserInput, ErrorCode } from './errors';

/** Values visited at most when scanning variables (a body is at most 1 MB, so this is never the limit). */
const MAX_SCANNED_VALUES = 2_000_000;

// NUL, or a UTF-16 surrogate without its pair (not Unicode): text PostgreSQL cannot store or compare.
const SUSPECT_RE = /[\u0000\ud800-\udfff]/;
const BAD_TEXT_RE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const badText = (s: string) => SUSPECT_RE.test(s) && BAD_TEXT_RE.test(s);

/** The first string of the variables with a NUL or an unpaired surrogate, as a path (`$ids[3]`), or null. Iterative. */
function badTextInVariables(variables: unknown): string | null {
  const stack: Array<[unknown, string]> = [[variables, '$']];
  for (let seen = 0; stack.length > 0 && seen < MAX_SCANNED_VALUES; seen++) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (badText(value)) return path;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}[${i}]`]);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (badText(k)) return `${path} (a key)`;
        stack.push([v, path === '$' ? `$${k}` : `${path}.${k}`]);
      }
    }
  }
  return null;
}

/** A string literal of the document holding a NUL or an unpaired surrogate (written as escapes), or null. */
function badTextInLiterals(document: DocumentNode): string | null {
  let found: string | null = null;
  visit(document, {
    StringValue(node) {
      if (found === null && badText(node.value)) found = `the string at line ${node.loc?.startToken.line ?? '?'}`;
    },
  });
  return found;
}

/**
 * Most tokens in one document. Real queries have a few hundred to a few thousand (500 ids in a
 * literal list are about 1,000); a megabyte of `__typename` aliases has 180,000 and would hold the
 * process for seconds in parsing and validation alone.
 */
export const MAX_TOKENS = 20_000;

const badTextMessage = (where: string) => `${where} contains a NUL character (U+0000) or an unpaired UTF-16 surrogate, which is not accepted: remove it`;

/**
 * Refusals before anything runs, so that no input reaches a resolver or the database in a form
 * that could only fail as an internal error:
 * - a request whose parameters cannot be read (a GET with `variables` that are not JSON) gets 400
 *   `BAD_USER_INPUT` with the reason;
 * - a document of more than MAX_TOKENS tokens gets `LIMIT_EXCEEDED` (limit `tokens`), and one
 *   nested so deeply that parsing it would exhaust the stack `LIMIT_EXCEEDED` (limit `depth`);
 * - a NUL character or an unpaired UTF-16 surrogate in the query, a string literal or a variable
 *   gets `BAD_USER_INPUT`: PostgreSQL cannot store or compare such text.
 *
 * @example
 * ```ts
 * createYoga({ schema, plugins: [useInputGuard(config.maxDepth)] });
 * ```
 */
export function useInputGuard(maxDepth: number): Plugin<GraphqlContext> {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          if (error instanceof GraphQLError) throw error;
          throw new GraphQLError(`the request's parameters cannot be read: ${(error as Error).message}`, {
            extensions: { code: ErrorCode.BadUserInput, http: { status: 400 } },
          });
        }
      });
    },
    onParams({ params, setResult }) {
      const where = typeof params.query === 'string' && badText(params.query) ? 'the query' : badTextInVariables(params.variables);
      if (where) setResult({ errors: [badUserInput(badTextMessage(where))] });
    },
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        let document: DocumentNode;
        try {
          document = parseFn(source, { ...options, maxTokens: MAX_TOKENS });
        } catch (error) {
          if (error instanceof GraphQLError && /contains more th\w+ \d+ tokens/.test(error.message)) {
            throw new GraphQLError(`the query has more than ${MAX_TOKENS} tokens; split it into several requests`, {
              extensions: { code: ErrorCode.LimitExceeded, limit: 'tokens', max: MAX_TOKENS },
            });
          }
          if (!(error instanceof RangeError)) throw error;
          throw new GraphQLError(`the query is nested too deeply to parse; at most ${maxDepth} levels of selections are answered`, {
            extensions: { code: ErrorCode.LimitExceeded, limit: 'depth', max: maxDepth },
          });
        }
        // Only an escape can put such a character into a literal (raw ones are refused above).
        const text = typeof source === 'string' ? source : (source as { body?: string }).body;
        const where = text === undefined || text.includes('\\u') ? badTextInLiterals(document) : null;
        if (where) throw badUserInput(badTextMessage(where));
        return document;
      });
    },
  };
}
