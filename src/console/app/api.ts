/// <reference lib="dom" />
/**
 * The console's only way to the hub: GraphQL at /graphql and two JSON endpoints under
 * /console/api, always with the API key of the session (kept in sessionStorage, never in
 * localStorage or a cookie, so it ends with the browser tab).
 */

export const KEY_STORAGE = 'mdm.console.apiKey';

export interface Session {
  key: string;
  role: string;
  scopes: string[];
}

/** Which query/mutation fields and type fields the hub's schema has (for hiding missing features). */
export interface Capabilities {
  query: Set<string>;
  mutation: Set<string>;
  subscription: Set<string>;
  fields: Map<string, Set<string>>;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(message: string, readonly status: number, readonly code?: string) {
    super(message);
  }
}

async function readError(res: Response): Promise<ApiError> {
  let message = `HTTP ${res.status}`;
  let code: string | undefined;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message) message = body.error.message;
    code = body.error?.code;
  } catch {
    /* not JSON */
  }
  return new ApiError(message, res.status, code);
}

/** POSTs a GraphQL request; throws ApiError on HTTP errors and on GraphQL errors. */
export async function gql<T = any>(key: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('the hub cannot be reached (network error)', 0);
  }
  if (!res.ok && res.status !== 200) {
    const type = res.headers.get('content-type') ?? '';
    if (!type.includes('graphql-response') && res.status !== 400) throw await readError(res);
  }
  const body = (await res.json()) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }>; error?: { code: string; message: string } };
  if (body.error) throw new ApiError(body.error.message, res.status, body.error.code);
  if (body.errors?.length) {
    const first = body.errors[0];
    throw new ApiError(body.errors.map((e) => e.message).join('; '), res.status, first.extensions?.code);
  }
  return body.data as T;
}

/** GETs a console JSON endpoint with the key. */
export async function getJson<T>(key: string, path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' } });
  } catch {
    throw new ApiError('the hub cannot be reached (network error)', 0);
  }
  if (!res.ok) throw await readError(res);
  return (await res.json()) as T;
}

/** Checks a key and returns its role. */
export async function signIn(key: string): Promise<Session> {
  const info = await getJson<{ role: string | null; scopes: string[] }>(key, '/console/api/session');
  if (!info.scopes.includes('read')) {
    throw new ApiError(`a key with the role "${info.role ?? 'none'}" cannot read golden records; use a reader, steward or admin key`, 403, 'FORBIDDEN');
  }
  return { key, role: info.role ?? 'reader', scopes: info.scopes };
}

const TYPES = ['GoldenRecord', 'Customer', 'Product', 'SerialUnit', 'InstalledAsset', 'Contract', 'Location', 'MatchPair', 'GoldenRecordVersion', 'SourceRecordMove'];

/** Reads which fields exist (introspection), so the console hides what the hub does not offer yet. */
export async function loadCapabilities(key: string): Promise<Capabilities> {
  const parts = [
    'q: __type(name: "Query") { fields { name } }',
    'm: __type(name: "Mutation") { fields { name } }',
    's: __type(name: "Subscription") { fields { name } }',
    ...TYPES.map((t, i) => `t${i}: __type(name: "${t}") { name fields { name } }`),
  ];
  const data = await gql<Record<string, { name?: string; fields: Array<{ name: string }> | null } | null>>(key, `{ ${parts.join(' ')} }`);
  const names = (v: { fields: Array<{ name: string }> | null } | null | undefined) => new Set((v?.fields ?? []).map((f) => f.name));
  const fields = new Map<string, Set<string>>();
  TYPES.forEach((t, i) => fields.set(t, names(data[`t${i}`])));
  return { query: names(data.q), mutation: names(data.m), subscription: names(data.s), fields };
}

export const has = (caps: Capabilities, type: string, field: string): boolean => caps.fields.get(type)?.has(field) ?? false;

export const ENTITIES = ['CUSTOMER', 'PRODUCT', 'SERIAL', 'ASSET', 'CONTRACT', 'LOCATION'] as const;
export type Entity = (typeof ENTITIES)[number];
export const TYPE_OF: Record<string, string> = {
  CUSTOMER: 'Customer', PRODUCT: 'Product', SERIAL: 'SerialUnit', ASSET: 'InstalledAsset', CONTRACT: 'Contract', LOCATION: 'Location',
};
export const ENTITY_LABEL: Record<string, string> = {
  CUSTOMER: 'Customer', PRODUCT: 'Product', SERIAL: 'Serial unit', ASSET: 'Installed asset', CONTRACT: 'Contract', LOCATION: 'Location',
};

/** A short human label for a record's attributes. */
export function labelOf(attributes: Record<string, unknown> | null | undefined): string {
  if (!attributes) return '';
  for (const k of ['name', 'serialNumber', 'contractNumber', 'partNumber', 'email']) {
    const v = attributes[k];
    if (typeof v === 'string' && v) return v;
  }
  return '';
}

/** Shows a JSON value in one line. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(show).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The outcome of a steward mutation as the console shows it. */
export interface ActionOutcome {
  kind: 'ok' | 'warning' | 'conflict' | 'error';
  message: string;
  goldenId?: string;
}

/** Maps a mutation's result union (…Success | Conflict | NotFound | Forbidden | Invalid) to a message. */
export function outcomeOf(result: { __typename: string; message?: string; expectedVersion?: number; currentVersion?: number; goldenId?: string } | null | undefined, success: string): ActionOutcome {
  if (!result) return { kind: 'error', message: 'the hub returned no result' };
  if (result.__typename.endsWith('Success')) return { kind: 'ok', message: success, goldenId: result.goldenId };
  if (result.__typename === 'Conflict') {
    const moved = result.expectedVersion !== result.currentVersion;
    return {
      kind: 'conflict',
      message: moved
        ? `Conflict: someone else changed this record (you saw version ${result.expectedVersion}, it is now at version ${result.currentVersion}). Reload and try again.`
        : `Conflict: ${result.message ?? 'the record cannot be changed now'}.`,
      goldenId: result.goldenId,
    };
  }
  return { kind: 'error', message: `${result.__typename === 'Forbidden' ? 'Not allowed' : result.__typename === 'NotFound' ? 'Not found' : 'Refused'}: ${result.message ?? ''}` };
}

export const RESULT_FIELDS = `__typename ... on Conflict { message goldenId expectedVersion currentVersion } ... on NotFound { message } ... on Forbidden { message } ... on Invalid { message }`;

export function errorOutcome(error: unknown): ActionOutcome {
  return { kind: 'error', message: `Error: ${error instanceof Error ? error.message : String(error)}` };
}

/**
 * Opens a GraphQL subscription (Server-Sent Events over POST /graphql with the key) and calls
 * `onData` for each event until `signal` aborts. Reconnects after a dropped stream (5 s pause);
 * gives up silently on an HTTP or GraphQL error (the page still works, only without live updates).
 */
export function subscribe<T>(key: string, query: string, variables: Record<string, unknown>, onData: (data: T) => void, signal: AbortSignal): void {
  const run = async (): Promise<void> => {
    while (!signal.aborted) {
      try {
        const res = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
          body: JSON.stringify({ query, variables }),
          signal,
        });
        if (!res.ok || !res.body) return;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const message = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = message.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
            if (!data) continue;
            const body = JSON.parse(data) as { data?: T; errors?: unknown[] };
            if (body.errors?.length) return;
            if (body.data) onData(body.data);
          }
        }
      } catch {
        if (signal.aborted) return;
      }
      await new Promise((r) => setTimeout(r, 5000));
    }
  };
  void run();
}
