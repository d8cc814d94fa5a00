import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
} from 'graphql/index.js';
import { graphqlSchema } from '../../../src/graphql/graphql-schema';
import type { Rng } from '../../../src/sim/world/random';
import type { FuzzContext, HttpCase, HttpRequestSpec } from './types';
import { deepJsonText, hostileString, INVALID_DATES, mutateText, randomBytes, randomJson, SQL_INJECTIONS, storableHostileString, truncate, UNICODE, VALID_DATES } from './values';

/**
 * GraphQL cases: random operations generated from the schema itself (every root field, arguments
 * drawn from real ids and hostile values, as literals or variables, selections of random depth),
 * with each key role; plus the classic attacks: deep and wide queries, alias bombs, fragment
 * cycles and explosions, directive floods, huge variables, batches, syntax garbage.
 */

type RoleName = 'reader' | 'steward' | 'admin' | 'ingest';

/** The scope each root field needs (docs/graphql.md, role matrix). */
export const ROOT_SCOPES: Record<string, 'read' | 'steward' | 'admin'> = {
  deadLetters: 'admin', subscribers: 'admin', matchQueue: 'steward', mergePreviewForPair: 'steward',
  entitlement: 'read', goldenRecord: 'read', goldenRecordByXref: 'read', goldenRecords: 'read', goldenRecordsConnection: 'read',
  matchCandidates: 'read', mergePreview: 'read', translateId: 'read',
  decidePair: 'steward', deferPair: 'steward', lock: 'steward', merge: 'steward', moveRecord: 'steward', notAMatch: 'steward',
  pinAttribute: 'steward', split: 'steward', addSubscriber: 'admin', updateSubscriber: 'admin', removeSubscriber: 'admin',
  replayDeadLetters: 'admin', goldenRecordChanged: 'read', matchQueueChanged: 'steward',
};

export const ROLE_SCOPES: Record<RoleName, string[]> = {
  reader: ['read'],
  steward: ['read', 'steward'],
  admin: ['read', 'steward', 'admin'],
  ingest: [],
};

const NAME_RE = /^[_A-Za-z][_0-9A-Za-z]*$/;
const DATETIMES = ['2026-01-01T00:00:00Z', '2025-06-30T12:00:00+02:00', '1970-01-01', '2026-02-30', '-271821-04-20T00:00:00Z', '+275760-09-13T00:00:00Z', '0001-01-01T00:00:00Z', 'yesterday', '', '2026-13-01T00:00:00Z', '9999-12-31T23:59:59.999Z'];
const BIG_INTS = ['9223372036854775808', '99999999999999999999999', '-1', '0', '1.5', '0x1f', '1e3', ' 7'];
const URLS = ['http://127.0.0.1:9/hook', 'https://example.org/in', 'ftp://files.example.com/in', 'javascript:alert(1)', 'http://user:pass@example.org/x', 'http://[::1]:9/x', 'not a url', 'http://exa mple.org', `http://x/${'a'.repeat(5000)}`];

/** Renders a JSON-like value as a GraphQL literal, or undefined when it cannot be one. */
function literal(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(literal);
    return parts.every((p) => p !== undefined) ? `[${parts.join(', ')}]` : undefined;
  }
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const l = literal(v);
      if (!NAME_RE.test(k) || l === undefined) return undefined;
      parts.push(`${k}: ${l}`);
    }
    return `{${parts.join(', ')}}`;
  }
  return undefined;
}

/** An enum value used as a bare name (as GraphQL wants it). */
class EnumValue {
  constructor(readonly name: string) {}
  toJSON() {
    return this.name;
  }
}

class OperationBuilder {
  readonly vars: Array<{ name: string; type: string; value: unknown }> = [];
  readonly fragments: string[] = [];
  constructor(
    private readonly rng: Rng,
    private readonly ctx: FuzzContext,
    private readonly maxDepth: number,
  ) {}

  private pickId(): string {
    const r = this.rng.int(10);
    if (r < 6 && this.ctx.goldenIds.length > 0) return this.rng.pick(this.ctx.goldenIds);
    if (r === 6) return 'G-0000000000000';
    if (r === 7) return this.rng.pick(SQL_INJECTIONS);
    if (r === 8) return this.rng.pick(BIG_INTS);
    return hostileString(this.rng).slice(0, this.rng.chance(0.9) ? 200 : 200_000);
  }

  private pickNumericId(pool: string[]): string {
    return this.rng.chance(0.6) && pool.length > 0 ? this.rng.pick(pool) : this.rng.chance(0.5) ? this.rng.pick(BIG_INTS) : storableHostileString(this.rng).slice(0, 100);
  }

  private listOf(make: () => unknown): unknown[] {
    const r = this.rng.int(20);
    const n = r === 0 ? this.rng.range(501, 3000) : r === 1 ? 0 : this.rng.range(1, 4);
    return Array.from({ length: n }, make);
  }

  /** A value for an input type, with the argument's name as a hint. */
  value(type: GraphQLInputType, hint: string, depth = 0): unknown {
    const rng = this.rng;
    if (isNonNullType(type)) return rng.chance(0.02) ? null : this.value(type.ofType, hint, depth);
    if (rng.chance(0.03)) return null;
    if (isListType(type)) return this.listOf(() => this.value(type.ofType, hint, depth + 1));
    if (isEnumType(type)) {
      const values = type.getValues().map((v) => v.name);
      return new EnumValue(rng.chance(0.93) ? rng.pick(values) : rng.pick(['VENDOR', 'customer', 'ALL', '__typename']));
    }
    if (isInputObjectType(type)) {
      const o: Record<string, unknown> = {};
      for (const f of Object.values(type.getFields())) {
        if (isNonNullType(f.type) || rng.chance(0.5)) o[f.name] = this.value(f.type, f.name, depth + 1);
      }
      if (rng.chance(0.05)) o.unknownField = 'x';
      return o;
    }
    if (isScalarType(type)) return this.scalar(type.name, hint);
    return null;
  }

  private scalar(name: string, hint: string): unknown {
    const rng = this.rng;
    const h = hint.toLowerCase();
    switch (name) {
      case 'ID':
        if (h.includes('record')) return this.pickNumericId(this.ctx.recordIds);
        if (h.includes('pair')) return this.pickNumericId(this.ctx.pairIds);
        if (h === 'subscriber') return rng.pick(['nobody', '1', ...SQL_INJECTIONS.slice(0, 4), storableHostileString(rng).slice(0, 300)]);
        return this.pickId();
      case 'Int':
        return rng.pick([-1, 0, 1, 2, 5, 20, 100, 101, 1000, 2147483647, 2147483648, -2147483649]);
      case 'Float':
        return rng.pick([-1, 0, 0.5, 0.99, 1, 2, 1e308, -0.0001]);
      case 'Boolean':
        return rng.chance(0.5);
      case 'DateTime':
        return rng.pick(DATETIMES);
      case 'JSON':
        return this.json(h);
      default:
        break;
    }
    // String
    if (h === 'source') return rng.pick(['erp', 'crm', 'fsm', 'ERP', '', rng.pick(SQL_INJECTIONS), rng.pick(UNICODE)]);
    if (h === 'sourceid') {
      const known = this.ctx.sourceIds.length > 0 && rng.chance(0.5) ? rng.pick(this.ctx.sourceIds).sourceId : undefined;
      return known ?? storableHostileString(rng).slice(0, 500);
    }
    if (h === 'serialnumber') return this.ctx.serials.length > 0 && rng.chance(0.4) ? rng.pick(this.ctx.serials) : hostileString(rng).slice(0, 2000);
    if (h === 'date') return rng.pick([...VALID_DATES, ...INVALID_DATES]);
    if (h === 'attribute') return rng.pick(['name', 'taxId', 'email', 'city', '__proto__', 'constructor', '', rng.pick(SQL_INJECTIONS)]);
    if (h === 'url') return rng.pick(URLS);
    if (h === 'secret') return rng.pick(['short', '0123456789abcdef', 'x'.repeat(10_000), rng.pick(SQL_INJECTIONS)]);
    if (h === 'after' || h === 'before') return rng.pick(['YXJyYXljb25uZWN0aW9uOjA=', 'MTA=', '', '!!!', Buffer.from(rng.pick(SQL_INJECTIONS)).toString('base64'), Buffer.from('{"id":"x"}').toString('base64'), 'x'.repeat(3000)]);
    return hostileString(rng).slice(0, rng.chance(0.95) ? 500 : 100_000);
  }

  private json(hint: string): unknown {
    const rng = this.rng;
    if (hint === 'attributes') {
      if (rng.chance(0.1)) return randomJson(rng);
      const o: Record<string, unknown> = {};
      const names = ['name', 'taxId', 'postalCode', 'city', 'country', 'email', 'phone', 'street', 'partNumber', 'gtin', 'serialNumber', 'customerRef', 'dateOfBirth', 'kind', '__proto__', 'constructor'];
      for (let i = 0; i < rng.range(0, 6); i++) {
        const k = rng.pick(names);
        Object.defineProperty(o, k, { value: rng.chance(0.6) ? storableHostileString(rng).slice(0, 2000) : randomJson(rng), enumerable: true, writable: true, configurable: true });
      }
      return o;
    }
    return randomJson(rng);
  }

  /** An argument list, literals or variables. */
  args(field: GraphQLField<unknown, unknown>): string {
    const parts: string[] = [];
    for (const arg of field.args as readonly GraphQLArgument[]) {
      if (!isNonNullType(arg.type) && !this.rng.chance(0.5)) continue;
      if (isNonNullType(arg.type) && this.rng.chance(0.02)) continue; // a required argument left out
      const value = this.value(arg.type, arg.name);
      const lit = this.rng.chance(0.5) ? literal(JSON.parse(JSON.stringify(value ?? null))) : undefined;
      if (lit !== undefined && !(value instanceof EnumValue) && !containsEnum(value)) parts.push(`${arg.name}: ${lit}`);
      else if (value instanceof EnumValue && this.rng.chance(0.7)) parts.push(`${arg.name}: ${value.name}`);
      else {
        const name = `v${this.vars.length}`;
        // Sometimes the declared type is not the argument's type.
        const type = this.rng.chance(0.05) ? this.rng.pick(['String', 'Int!', '[ID]', 'JSON', 'Boolean!']) : String(arg.type);
        this.vars.push({ name, type, value: JSON.parse(JSON.stringify(value ?? null)) });
        parts.push(`${arg.name}: $${name}`);
      }
    }
    return parts.length > 0 ? `(${parts.join(', ')})` : '';
  }

  /** A selection set for a type, `depth` levels deep already. */
  selection(type: GraphQLOutputType, depth: number): string {
    const named = getNamedType(type) as GraphQLNamedType;
    if (isScalarType(named) || isEnumType(named)) return '';
    if (isUnionType(named) || isInterfaceType(named)) {
      const possible = graphqlSchema().getPossibleTypes(named);
      const parts = ['__typename'];
      for (const t of possible) if (this.rng.chance(0.5)) parts.push(`... on ${t.name} ${this.selection(t, depth)}`);
      if (isInterfaceType(named)) {
        const own = this.fields(named.getFields(), depth);
        if (own) parts.push(own);
      }
      return `{ ${parts.join(' ')} }`;
    }
    if (isObjectType(named)) {
      const body = this.fields(named.getFields(), depth) || '__typename';
      return `{ ${body} }`;
    }
    return '';
  }

  private fields(fields: Record<string, GraphQLField<unknown, unknown>>, depth: number): string {
    const list = Object.values(fields);
    const n = this.rng.range(1, Math.min(4, list.length));
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const f = this.rng.pick(list);
      const composite = !isScalarType(getNamedType(f.type)) && !isEnumType(getNamedType(f.type));
      if (composite && depth + 1 >= this.maxDepth) continue;
      const alias = this.rng.chance(0.1) ? `a${this.rng.int(1000)}: ` : '';
      parts.push(`${alias}${f.name}${this.args(f)}${composite ? ` ${this.selection(f.type, depth + 1)}` : ''}`);
    }
    if (this.rng.chance(0.2)) parts.push('__typename');
    return parts.join(' ');
  }

  variableDefinitions(): string {
    return this.vars.length > 0 ? `(${this.vars.map((v) => `$${v.name}: ${v.type}`).join(', ')})` : '';
  }

  variables(): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const v of this.vars) o[v.name] = v.value;
    return o;
  }
}

function containsEnum(value: unknown): boolean {
  if (value instanceof EnumValue) return true;
  if (Array.isArray(value)) return value.some(containsEnum);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsEnum);
  return false;
}

const ROLES: RoleName[] = ['reader', 'steward', 'admin', 'ingest'];

function keyOf(ctx: FuzzContext, role: RoleName, rng: Rng): string {
  return role === 'ingest' ? ctx.keys.ingest[rng.pick(['erp', 'crm', 'fsm'] as const)] : ctx.keys[role];
}

const clientOf = (rng: Rng) => `10.2.${rng.int(4)}.${rng.range(1, 254)}`;

function post(rng: Rng, key: string | null, body: string, contentType = 'application/json', extra: Record<string, string> = {}): HttpRequestSpec {
  const headers: Record<string, string> = { 'content-type': contentType, accept: rng.chance(0.8) ? 'application/json' : rng.pick(['application/graphql-response+json', '*/*', 'text/html', 'application/xml']), ...extra };
  if (key) headers.authorization = `Bearer ${key}`;
  return { method: 'POST', path: '/graphql', headers, body, client: clientOf(rng) };
}

export function graphqlCases(schema: GraphQLSchema = graphqlSchema()) {
  const query = schema.getQueryType()!;
  const mutation = schema.getMutationType()!;
  const subscription = schema.getSubscriptionType();

  /** A random operation from the schema. */
  const schemaOperation = (rng: Rng, ctx: FuzzContext): HttpCase => {
    const r = rng.int(100);
    const operation: 'query' | 'mutation' | 'subscription' = r < 65 ? 'query' : r < 97 || !subscription ? 'mutation' : 'subscription';
    const root = operation === 'query' ? query : operation === 'mutation' ? mutation : subscription!;
    const maxDepth = rng.chance(0.1) ? rng.range(13, 20) : rng.range(2, 8);
    const b = new OperationBuilder(rng, ctx, maxDepth);
    const fields = Object.values(root.getFields());
    const selected: Array<{ alias: string; field: string; operation: typeof operation }> = [];
    const parts: string[] = [];
    const count = operation === 'subscription' ? 1 : rng.range(1, 3);
    for (let i = 0; i < count; i++) {
      const f = rng.pick(fields);
      const alias = `r${i}`;
      const sel = isScalarType(getNamedType(f.type)) ? '' : operation === 'mutation' ? ` { __typename ${b.selection(f.type, 1).slice(1, -1)} }` : ` ${b.selection(f.type, 1)}`;
      parts.push(`${alias}: ${f.name}${b.args(f)}${sel}`);
      selected.push({ alias, field: f.name, operation });
    }
    const text = `${operation} Fuzz${b.variableDefinitions()} { ${parts.join(' ')} }${b.fragments.join(' ')}`;
    const role = rng.pick(ROLES);
    const body: Record<string, unknown> = { query: text, variables: b.variables() };
    if (rng.chance(0.05)) body.operationName = rng.pick(['Fuzz', 'Other', '', null]);
    const request = post(rng, keyOf(ctx, role, rng), JSON.stringify(body));
    // A subscription answered as an event stream never ends: only plain JSON is asked for.
    if (operation === 'subscription') request.headers.accept = 'application/json';
    return { target: 'graphql', kind: `schema-${operation}`, request, expect: { type: 'graphql', role, fields: selected }, shrink: { value: body, render: (v) => ({ ...request, body: JSON.stringify(v) }) } };
  };

  /** The well-known attacks on a GraphQL endpoint. */
  const attack = (rng: Rng, ctx: FuzzContext): HttpCase => {
    const key = ctx.keys[rng.pick(['reader', 'steward', 'admin'] as const)];
    const id = ctx.goldenIds.length > 0 ? rng.pick(ctx.goldenIds) : 'G-0000000000000';
    let text: string;
    let kind: string;
    let variables: unknown = {};
    switch (rng.int(14)) {
      case 0: {
        // Deeper than the limit through real fields.
        const levels = rng.range(13, 60);
        let inner = 'id';
        for (let i = 0; i < levels; i++) inner = i % 2 === 0 ? `owner { ${inner} }` : `installedAssets(first: 1) { edges { node { ... on InstalledAsset { ${inner} } } } }`;
        text = `{ goldenRecordsConnection(entity: ASSET, first: 1) { edges { node { ... on InstalledAsset { ${inner} } } } } }`;
        kind = 'deep-query';
        break;
      }
      case 1: {
        const levels = rng.range(5000, 120_000);
        text = `{ ${'a { '.repeat(levels)}b${' }'.repeat(levels)} }`;
        kind = 'parser-depth-bomb';
        break;
      }
      case 2: {
        const n = rng.range(1000, 60_000);
        text = `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;
        kind = 'wide-aliases';
        break;
      }
      case 3: {
        const n = rng.range(1000, 80_000);
        text = `{ ${'__typename '.repeat(n)}}`;
        kind = 'same-field-flood';
        break;
      }
      case 4: {
        const n = rng.range(50, 2000);
        text = `{ ${Array.from({ length: n }, (_, i) => `a${i}: goldenRecordsConnection(entity: CUSTOMER, first: 100) { edges { node { id attributes } } }`).join(' ')} }`;
        kind = 'alias-bomb';
        break;
      }
      case 5:
        text = 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }';
        kind = 'fragment-cycle';
        break;
      case 6: {
        const levels = rng.range(10, 40);
        const frags = [`fragment F0 on GoldenRecordLookup { requestedId record { id } }`];
        for (let i = 1; i <= levels; i++) frags.push(`fragment F${i} on GoldenRecordLookup { ...F${i - 1} ...F${i - 1} }`);
        text = `{ goldenRecord(id: ${JSON.stringify(id)}) { ...F${levels} } } ${frags.join(' ')}`;
        kind = 'fragment-explosion';
        break;
      }
      case 7: {
        const n = rng.range(100, 50_000);
        text = `{ __typename ${'@include(if: true) '.repeat(n)}}`;
        kind = 'directive-flood';
        break;
      }
      case 8: {
        const n = rng.range(100, 30_000);
        variables = { ids: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? id : `G-${i}`)) };
        text = 'query($ids: [ID!]!) { goldenRecords(ids: $ids) { requestedId record { id } } }';
        kind = 'huge-variables';
        break;
      }
      case 9: {
        const depth = rng.range(1000, 300_000);
        text = 'query($a: JSON!) { matchCandidates(entity: CUSTOMER, attributes: $a) { candidates { goldenId } } }';
        const body = `{"query":${JSON.stringify(text)},"variables":{"a":{"name":"Krüger","nested":${deepJsonText(depth, rng.chance(0.5) ? 'array' : 'object')}}}}`;
        return { target: 'graphql', kind: 'deep-json-variable', request: post(rng, key, body), expect: { type: 'any' }, shrink: undefined };
      }
      case 10: {
        const levels = rng.range(10, 40);
        let inner = 'name';
        for (let i = 0; i < levels; i++) inner = `ofType { ${inner} }`;
        text = `{ __schema { types { fields { type { ${inner} } } } } }`;
        kind = 'deep-introspection';
        break;
      }
      case 11: {
        const n = rng.range(2, 50);
        const body = JSON.stringify(Array.from({ length: n }, () => ({ query: `{ goldenRecord(id: ${JSON.stringify(id)}) { requestedId } }` })));
        return { target: 'graphql', kind: 'batched-operations', request: post(rng, key, body), expect: { type: 'any' } };
      }
      case 12: {
        text = `query A { __typename } query B { __typename } ${rng.chance(0.5) ? 'mutation C { __typename }' : ''}`;
        variables = rng.chance(0.5) ? { x: 1 } : null;
        kind = 'ambiguous-operations';
        break;
      }
      default: {
        const n = rng.range(100, 5000);
        text = `query(${Array.from({ length: n }, (_, i) => `$v${i}: ID`).join(', ')}) { __typename }`;
        kind = 'many-variables';
      }
    }
    const body = { query: text, variables };
    const request = post(rng, key, JSON.stringify(body));
    return { target: 'graphql', kind, request, expect: { type: 'any' }, shrink: text.length < 5000 ? { value: body, render: (v) => ({ ...request, body: JSON.stringify(v) }) } : undefined };
  };

  /** Requests that are not a well-formed GraphQL POST. */
  const malformed = (rng: Rng, ctx: FuzzContext): HttpCase => {
    const key = ctx.keys[rng.pick(['reader', 'steward', 'admin'] as const)];
    const valid = JSON.stringify({ query: '{ goldenRecords(ids: ["G-0000000000000"]) { requestedId } }' });
    let request: HttpRequestSpec;
    let kind: string;
    switch (rng.int(10)) {
      case 0:
        request = post(rng, key, truncate(rng, valid));
        kind = 'truncated-body';
        break;
      case 1:
        request = post(rng, key, mutateText(rng, valid));
        kind = 'mutated-body';
        break;
      case 2:
        request = { ...post(rng, key, ''), body: randomBytes(rng, rng.range(0, 3000)) };
        kind = 'random-bytes';
        break;
      case 3:
        request = post(rng, key, JSON.stringify({ query: mutateText(rng, '{ goldenRecord(id: "G-1") { requestedId record { id } } }') }));
        kind = 'syntax-error';
        break;
      case 4:
        request = post(rng, key, JSON.stringify({ query: rng.pick<unknown>([null, 42, ['{ __typename }'], { a: 1 }, '', true]) }));
        kind = 'query-not-string';
        break;
      case 5:
        request = post(rng, key, valid, rng.pick(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=z', 'application/graphql']));
        kind = 'content-type';
        break;
      case 6: {
        const q = rng.chance(0.5) ? '{ goldenRecord(id: "G-1") { requestedId } }' : 'mutation { lock(goldenId: "G-1", locked: true) { __typename } }';
        request = { method: 'GET', path: `/graphql?query=${encodeURIComponent(q)}${rng.chance(0.3) ? `&variables=${encodeURIComponent(mutateText(rng, '{"a":1}'))}` : ''}`, headers: { authorization: `Bearer ${key}`, accept: rng.pick(['application/json', 'text/html', '*/*']) }, client: clientOf(rng) };
        kind = 'get';
        break;
      }
      case 7:
        request = { method: rng.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']), path: '/graphql', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: undefined, client: clientOf(rng) };
        kind = 'method';
        break;
      case 8:
        request = post(rng, key, JSON.stringify({ query: `{ ${hostileString(rng).slice(0, 200)} }`, variables: randomJson(rng), extensions: randomJson(rng) }));
        kind = 'hostile-text';
        break;
      default:
        request = post(rng, key, `{"query":"{ __typename }","variables":{"x":"${'y'.repeat(1024 * 1024)}"}}`);
        kind = 'body-too-large';
    }
    const shrink = typeof request.body === 'string' && request.body.length < 100_000 ? { value: request.body, render: (v: unknown) => ({ ...request, body: String(v) }) } : undefined;
    return { target: 'graphql', kind, request, expect: { type: 'any' }, shrink };
  };

  return { schemaOperation, attack, malformed };
}
