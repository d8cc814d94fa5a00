import type { Kysely } from 'kysely';
import { ENTITY_TYPES } from '../core/entities';
import type { DB } from '../db/schema';
import { hasScope, type Principal } from '../auth/roles';
import { generateSigningSecret, type SecretBox, secretBoxFromEnv } from './secret-box';
import { type DeadLetterRow, listDeadLetters, replayDeliveries, type ReplayResult } from './delivery.repository';
import {
  deleteSubscriber,
  findSubscriber,
  insertSubscriber,
  listSubscribers,
  setSubscriberActive,
  updateSubscriberRow,
  type SubscriberView,
} from './subscriber.repository';

/**
 * Who manages subscribers: an API-key principal (must hold the `admin` scope; the GraphQL admin
 * mutations pass theirs), or the operator of the CLI, who already holds the database.
 */
export type SubscriberActor = Principal | { kind: 'operator' };

export const OPERATOR: SubscriberActor = { kind: 'operator' };

/** Event types the hub writes today; short names (`created`, `moved`) are accepted for them. */
export const KNOWN_EVENT_TYPES = [
  'golden.created', 'golden.updated', 'golden.merged', 'golden.split', 'golden.redirected', 'golden.retired', 'xref.moved',
] as const;

export type SubscriberResult<T extends object> =
  | ({ kind: 'success' } & T)
  | { kind: 'forbidden'; message: string }
  | { kind: 'invalid'; message: string; field?: SubscriberField }
  | { kind: 'notFound'; message: string };

/** The input a refusal is about (GraphQL answers it with the message). */
export type SubscriberField = 'url' | 'name' | 'entities' | 'eventTypes' | 'secret' | 'since';

export interface AddSubscriberInput {
  url: string;
  /** Unique; default: the URL's host and path. */
  name?: string;
  /** Entity types to receive; empty or absent: all. */
  entities?: string[];
  /** Event types to receive (`golden.updated`, `updated`, `mdm.golden.updated`); empty or absent: all. */
  eventTypes?: string[];
  /** The HMAC signing secret; generated when absent. */
  secret?: string;
  /** `now` (default): events from now on; `beginning`: the whole outbox. */
  startAt?: 'now' | 'beginning';
}

function forbidden(actor: SubscriberActor): { kind: 'forbidden'; message: string } | undefined {
  if (actor.kind === 'operator') return undefined;
  if (hasScope(actor, 'admin')) return undefined;
  return { kind: 'forbidden', message: 'managing event subscribers needs an API key with the admin role' };
}

/** Normalizes an event type filter entry; undefined when it is not an event type name. */
export function normalizeEventType(value: string): string | undefined {
  let v = value.trim().toLowerCase();
  if (v.startsWith('mdm.')) v = v.slice(4);
  if (v === 'moved') return 'xref.moved';
  if (!v.includes('.')) v = `golden.${v}`;
  return /^[a-z]+\.[a-z_]{1,40}$/.test(v) ? v : undefined;
}

type Refusal = { kind: 'invalid'; message: string; field: SubscriberField };

/** The entity type filter without repeats; a refusal names an unknown entity type. */
function entityFilter(values: readonly string[] | undefined): string[] | Refusal {
  const entities = [...new Set((values ?? []).map((e) => e.trim()).filter(Boolean))];
  const unknownEntity = entities.find((e) => !(ENTITY_TYPES as readonly string[]).includes(e));
  if (unknownEntity) return { kind: 'invalid', message: `entity "${unknownEntity}" is not known (expected one of ${ENTITY_TYPES.join(', ')})`, field: 'entities' };
  return entities;
}

/** The event type filter, normalized (see `normalizeEventType`), without repeats. */
function eventTypeFilter(values: readonly string[] | undefined): string[] | Refusal {
  const types: string[] = [];
  for (const raw of (values ?? []).filter((t) => t.trim() !== '')) {
    const t = normalizeEventType(raw);
    if (!t) return { kind: 'invalid', message: `event type "${raw}" is not an event type (expected e.g. ${KNOWN_EVENT_TYPES.join(', ')})`, field: 'eventTypes' };
    if (!types.includes(t)) types.push(t);
  }
  return types;
}

function validateUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `subscriber URL "${url}" is not a URL (expected e.g. https://erp.example.com/mdm-events)`;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `subscriber URL must use http or https, not ${parsed.protocol}`;
  if (parsed.username || parsed.password) return 'subscriber URL must not carry credentials; the receiver verifies the X-MDM-Signature header instead';
  return undefined;
}

/**
 * Registers a subscriber. The signing secret is returned once (generated when not given) and
 * stored sealed (see `secret-box.ts`); no later call shows it.
 *
 * @example
 * ```ts
 * const r = await addSubscriber(db, OPERATOR, { url: 'https://erp.example.com/mdm', entities: ['customer'], eventTypes: ['merged'] });
 * if (r.kind === 'success') console.log(r.subscriber.id, r.secret);
 * ```
 */
export async function addSubscriber(
  db: Kysely<DB>,
  actor: SubscriberActor,
  input: AddSubscriberInput,
  box: SecretBox = secretBoxFromEnv(),
): Promise<SubscriberResult<{ subscriber: SubscriberView; secret: string }>> {
  const refused = forbidden(actor);
  if (refused) return refused;
  const urlProblem = validateUrl(input.url);
  if (urlProblem) return { kind: 'invalid', message: urlProblem, field: 'url' };
  const entities = entityFilter(input.entities);
  if (!Array.isArray(entities)) return entities;
  const types = eventTypeFilter(input.eventTypes);
  if (!Array.isArray(types)) return types;
  if (input.secret !== undefined && input.secret.length < 16) {
    return { kind: 'invalid', message: 'the signing secret must be at least 16 characters (omit --secret to have one generated)', field: 'secret' };
  }
  const url = new URL(input.url);
  const name = (input.name ?? `${url.host}${url.pathname === '/' ? '' : url.pathname}`).trim();
  if (name === '' || name.length > 200) return { kind: 'invalid', message: 'the subscriber name must be 1 to 200 characters', field: 'name' };
  const secret = input.secret ?? generateSigningSecret();
  const subscriber = await insertSubscriber(db, {
    name,
    url: url.toString(),
    entities: entities.length > 0 ? entities : null,
    eventTypes: types.length > 0 ? types : null,
    sealedSecret: box.seal(secret),
    startAt: input.startAt ?? 'now',
  });
  if (!subscriber) return { kind: 'invalid', message: `a subscriber named "${name}" exists already (choose another --name)`, field: 'name' };
  return { kind: 'success', subscriber, secret };
}

/** Lists subscribers (never their secrets). */
export async function listEventSubscribers(db: Kysely<DB>, actor: SubscriberActor): Promise<SubscriberResult<{ subscribers: SubscriberView[] }>> {
  const refused = forbidden(actor);
  if (refused) return refused;
  return { kind: 'success', subscribers: await listSubscribers(db) };
}

/** Removes a subscriber (by id or name) with its pending deliveries and dead letters. */
export async function removeSubscriber(db: Kysely<DB>, actor: SubscriberActor, idOrName: string): Promise<SubscriberResult<{ subscriber: SubscriberView }>> {
  const refused = forbidden(actor);
  if (refused) return refused;
  const subscriber = await findSubscriber(db, idOrName);
  if (!subscriber) return { kind: 'notFound', message: `no subscriber "${idOrName}" (see \`mdm subscriber list\`)` };
  await deleteSubscriber(db, subscriber.id);
  return { kind: 'success', subscriber };
}

/** Pauses (`active: false`) or resumes a subscriber; a paused one keeps its cursor and queue. */
export async function setSubscriberPaused(db: Kysely<DB>, actor: SubscriberActor, idOrName: string, paused: boolean): Promise<SubscriberResult<{ subscriber: SubscriberView }>> {
  const refused = forbidden(actor);
  if (refused) return refused;
  const subscriber = await findSubscriber(db, idOrName);
  if (!subscriber) return { kind: 'notFound', message: `no subscriber "${idOrName}" (see \`mdm subscriber list\`)` };
  await setSubscriberActive(db, subscriber.id, !paused);
  return { kind: 'success', subscriber: { ...subscriber, active: !paused } };
}

export interface UpdateSubscriberInput {
  url?: string;
  /** Entity types to receive; empty: all. Absent: unchanged. */
  entities?: string[];
  /** Event types to receive; empty: all. Absent: unchanged. */
  eventTypes?: string[];
  /** false pauses, true resumes (as `setSubscriberPaused`). Absent: unchanged. */
  active?: boolean;
}

/**
 * Changes a subscriber's URL, filters or state. Filters apply to events fanned out from then on;
 * events already queued for the subscriber are delivered as queued. Returns the subscriber before
 * and after the change (never its secret).
 *
 * @example
 * ```ts
 * await updateSubscriber(db, OPERATOR, 'erp', { eventTypes: ['merged', 'split'], active: true });
 * ```
 */
export async function updateSubscriber(
  db: Kysely<DB>,
  actor: SubscriberActor,
  idOrName: string,
  input: UpdateSubscriberInput,
): Promise<SubscriberResult<{ subscriber: SubscriberView; before: SubscriberView }>> {
  const refused = forbidden(actor);
  if (refused) return refused;
  let url: string | undefined;
  if (input.url !== undefined) {
    const urlProblem = validateUrl(input.url);
    if (urlProblem) return { kind: 'invalid', message: urlProblem, field: 'url' };
    url = new URL(input.url).toString();
  }
  const entities = input.entities === undefined ? undefined : entityFilter(input.entities);
  if (entities !== undefined && !Array.isArray(entities)) return entities;
  const types = input.eventTypes === undefined ? undefined : eventTypeFilter(input.eventTypes);
  if (types !== undefined && !Array.isArray(types)) return types;
  const before = await findSubscriber(db, idOrName);
  if (!before) return { kind: 'notFound', message: `no subscriber "${idOrName}" (see \`mdm subscriber list\`)` };
  const subscriber = await updateSubscriberRow(db, before.id, {
    url,
    entities: entities === undefined ? undefined : entities.length > 0 ? entities : null,
    eventTypes: types === undefined ? undefined : types.length > 0 ? types : null,
    active: input.active,
  });
  if (!subscriber) return { kind: 'notFound', message: `subscriber "${idOrName}" was removed meanwhile` };
  return { kind: 'success', subscriber, before };
}

/**
 * Queues a subscriber's events again (see `replayDeliveries`): its dead letters, and with `since`
 * every matching event written since then.
 *
 * @example
 * ```ts
 * const r = await replaySubscriberEvents(db, principal, 'erp', new Date(Date.now() - 6 * 3600_000));
 * if (r.kind === 'success') r.deadLetters + r.redelivered; // events queued again
 * ```
 */
export async function replaySubscriberEvents(
  db: Kysely<DB>,
  actor: SubscriberActor,
  idOrName: string,
  since?: Date,
  now: Date = new Date(),
): Promise<SubscriberResult<{ subscriber: SubscriberView } & ReplayResult>> {
  const refused = forbidden(actor);
  if (refused) return refused;
  if (since !== undefined && (Number.isNaN(since.getTime()) || since > now)) {
    return { kind: 'invalid', message: `since ${Number.isNaN(since.getTime()) ? 'is not a time' : `(${since.toISOString()}) is in the future`}; give a past time to re-send what was written since then`, field: 'since' };
  }
  const subscriber = await findSubscriber(db, idOrName);
  if (!subscriber) return { kind: 'notFound', message: `no subscriber "${idOrName}" (see \`mdm subscriber list\`)` };
  return { kind: 'success', subscriber, ...(await replayDeliveries(db, subscriber.id, since)) };
}

/**
 * A page of a subscriber's dead letters in event order: up to `limit`, after the event id `after`.
 *
 * @example
 * ```ts
 * const r = await subscriberDeadLetters(db, principal, 'erp', { limit: 50 });
 * ```
 */
export async function subscriberDeadLetters(
  db: Kysely<DB>,
  actor: SubscriberActor,
  idOrName: string,
  page: { limit: number; after?: string },
): Promise<SubscriberResult<{ subscriber: SubscriberView; deadLetters: DeadLetterRow[] }>> {
  const refused = forbidden(actor);
  if (refused) return refused;
  const subscriber = await findSubscriber(db, idOrName);
  if (!subscriber) return { kind: 'notFound', message: `no subscriber "${idOrName}" (see \`mdm subscriber list\`)` };
  return { kind: 'success', subscriber, deadLetters: await listDeadLetters(db, subscriber.id, page.limit, page.after) };
}
