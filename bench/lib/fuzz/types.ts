import type { Rng } from '../../../src/sim/world/random';
import type { Verdict } from './records';

export type Target = 'webhook' | 'graphql' | 'auth' | 'file';

/** An HTTP request of the fuzz run, sent in-process with `app.request`. */
export interface HttpRequestSpec {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** The client address the request comes from (Node's socket peer). */
  client: string;
}

/** One item of a webhook batch and what the hub must do with it. */
export interface BatchItem {
  index: number;
  verdict: Verdict | 'unknown';
  entity?: string;
  sourceId?: string;
  eventId?: string;
  mutations: string[];
}

export type Expectation =
  /** A webhook request whose items must each be accepted (valid) or rejected (invalid). */
  | { type: 'webhook'; source: string; endpoint: 'records' | 'events'; items: BatchItem[]; statuses?: number[] }
  /** A request whose status is known in advance (auth refusals, size limits). */
  | { type: 'status'; statuses: number[]; code?: string; sameBodyAs?: string }
  /** A GraphQL request: role checks per root field. */
  | { type: 'graphql'; role: string; fields: Array<{ alias: string; field: string; operation: 'query' | 'mutation' | 'subscription' }> }
  | { type: 'any' };

/** Something the run can shrink: a JSON value or a text, and how to turn it back into a request. */
export interface Shrinkable {
  value: unknown;
  render(value: unknown): HttpRequestSpec;
}

export interface HttpCase {
  target: Exclude<Target, 'file'>;
  kind: string;
  request: HttpRequestSpec;
  expect: Expectation;
  shrink?: Shrinkable;
}

/** What the generators may draw on: real ids and keys of the seeded hub. */
export interface FuzzContext {
  keys: {
    reader: string;
    steward: string;
    admin: string;
    ingest: Record<'erp' | 'crm' | 'fsm', string>;
    revoked: string;
  };
  /** HMAC secret of the fsm webhooks. */
  fsmSecret: string;
  goldenIds: string[];
  recordIds: string[];
  pairIds: string[];
  serials: string[];
  sourceIds: Array<{ entity: string; source: string; sourceId: string }>;
}

export type CaseGenerator = (rng: Rng, ctx: FuzzContext, caseNo: number) => HttpCase;

export interface Failure {
  target: Target;
  kind: string;
  caseNo: number;
  problem: string;
  /** The (minimized) input, shortened for the report. */
  input: string;
  /** How many cases failed the same way. */
  count: number;
}
