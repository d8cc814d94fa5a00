import { type DocumentNode, Kind, parse, type SelectionSetNode } from 'graphql/index.js';
import { bodyText } from '../http/body-once';

/**
 * True when a document asks only for schema metadata (`__schema`, `__type`, `__typename`) and
 * never for data: such a query may run without an API key when schema browsing is allowed.
 *
 * @example
 * ```ts
 * isIntrospectionOnly(parse('{ __schema { types { name } } }')) // true
 * isIntrospectionOnly(parse('{ __typename goldenRecord(id: "G-1") { requestedId } }')) // false
 * ```
 */
export function isIntrospectionOnly(document: DocumentNode): boolean {
  const fragments = new Map<string, SelectionSetNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d.selectionSet);
  const seen = new Set<string>();
  const onlyMeta = (set: SelectionSetNode): boolean =>
    set.selections.every((s) => {
      if (s.kind === Kind.FIELD) return s.name.value.startsWith('__');
      if (s.kind === Kind.INLINE_FRAGMENT) return onlyMeta(s.selectionSet);
      const name = s.name.value;
      if (seen.has(name)) return true;
      seen.add(name);
      const fragment = fragments.get(name);
      return fragment !== undefined && onlyMeta(fragment);
    });
  let operations = 0;
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    operations++;
    if (d.operation !== 'query' || !onlyMeta(d.selectionSet)) return false;
  }
  return operations > 0;
}

/**
 * Whether an HTTP request to /graphql only browses the schema: the GraphiQL page itself (a GET
 * that accepts HTML) or an introspection-only query (GET `?query=` or a POST JSON body).
 */
export async function isSchemaBrowsingRequest(request: Request): Promise<boolean> {
  let query: unknown;
  if (request.method === 'GET') {
    const url = new URL(request.url);
    query = url.searchParams.get('query');
    if (query === null) return (request.headers.get('accept') ?? '').includes('text/html');
  } else if (request.method === 'POST') {
    try {
      query = (JSON.parse(await bodyText(request)) as { query?: unknown } | null)?.query;
    } catch {
      return false;
    }
  }
  if (typeof query !== 'string') return false;
  try {
    return isIntrospectionOnly(parse(query));
  } catch {
    return false;
  }
}
