import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { logger as rootLogger, type Logger } from '../core/logger';
import type { Database } from '../db/database';
import { type DeliveryMetrics, processDeliveryMetrics } from '../observability/delivery-metrics';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs } from './backoff';
import {
  ATTEMPT_HEADER,
  CLOUDEVENTS_CONTENT_TYPE,
  EVENT_ID_HEADER,
  SIGNATURE_HEADER,
  sign,
  TIMESTAMP_HEADER,
  toCloudEvent,
} from './cloud-event';
import {
  type ClaimedDelivery,
  claimDeliveries,
  completeDeliveries,
  deadLetterDeliveries,
  type FailedDelivery,
  fanOut,
  retryDeliveries,
} from './delivery.repository';
import { createHttpTransport, type DeliveryTransport } from './http-transport';
import { type SecretBox, secretBoxFromEnv } from './secret-box';
import { loadActiveSubscribers, type SubscriberRow } from './subscriber.repository';

export interface DispatcherOptions {
  /** How often an idle subscriber looks for new events (default 150 ms). */
  pollIntervalMs?: number;
  /** Outbox events read per fan-out step (default 2000). */
  fanOutBatchSize?: number;
  /** Deliveries in flight at once per subscriber in this process (default 128). */
  concurrency?: number;
  /** Timeout of one HTTP attempt, body included (default 5000 ms). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** How often the subscriber list is re-read (default 1000 ms). */
  refreshIntervalMs?: number;
  logger?: Logger;
  /** Where delivery metrics go (default: the process-wide registry every `/metrics` shows). */
  metrics?: DeliveryMetrics;
  /** Opens stored signing secrets (default: from MDM_SECRET_KEY). */
  secretBox?: SecretBox;
  /** How deliveries are sent (default: node:http(s) with keep-alive). */
  transport?: DeliveryTransport;
  random?: () => number;
  /** Names this process in delivery claims (default host:pid:random). */
  processId?: string;
}

export interface Dispatcher {
  readonly processId: string;
  /** Stops polling, waits for deliveries in flight (at most one timeout) and records their outcome. */
  stop(): Promise<void>;
}

interface Settings {
  pollIntervalMs: number;
  fanOutBatchSize: number;
  concurrency: number;
  timeoutMs: number;
  leaseSeconds: number;
  retry: RetryPolicy;
  logger: Logger;
  metrics: DeliveryMetrics;
  secretBox: SecretBox;
  transport: DeliveryTransport;
  random: () => number;
  processId: string;
}

type Outcome =
  | { kind: 'delivered'; outboxId: string }
  | { kind: 'failed'; outboxId: string; attempt: number; status: number | null; error: string };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Delivers one subscriber's events from this process; one worker per subscriber, so a slow one delays only itself. */
class SubscriberWorker {
  private subscriber: SubscriberRow;
  private secret: string | undefined;
  private stopped = false;
  private readonly inflight = new Set<Promise<void>>();
  private outcomes: Outcome[] = [];
  private wake: (() => void) | undefined;
  private readonly log: Logger;
  readonly done: Promise<void>;

  constructor(
    private readonly database: Database,
    subscriber: SubscriberRow,
    private readonly settings: Settings,
  ) {
    this.subscriber = subscriber;
    this.log = settings.logger.child({ component: 'dispatcher', subscriber: subscriber.name, subscriberId: subscriber.id });
    this.openSecret();
    this.done = this.run();
  }

  update(subscriber: SubscriberRow): void {
    const secretChanged = subscriber.sealedSecret !== this.subscriber.sealedSecret;
    this.subscriber = subscriber;
    if (secretChanged || this.secret === undefined) this.openSecret();
  }

  private openSecret(): void {
    try {
      this.secret = this.settings.secretBox.open(this.subscriber.sealedSecret);
    } catch (error) {
      this.secret = undefined;
      this.log.error({ reason: (error as Error).message }, 'cannot open the signing secret; deliveries to this subscriber are paused');
    }
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    return this.done;
  }

  private idle(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).then(() => {
      this.wake = undefined;
    });
  }

  private async run(): Promise<void> {
    const { db } = this.database;
    const s = this.settings;
    let failures = 0;
    let lastFanOut = -Infinity;
    let fanOutFull = false;
    let fanOutSkipped = false;
    while (!this.stopped) {
      let progressed = false;
      try {
        progressed = (await this.flush()) || progressed;
        // Fan-out at most every 50 ms while busy: claiming and recording outcomes come first.
        let scanned = 0;
        fanOutSkipped = !(performance.now() - lastFanOut >= Math.min(50, s.pollIntervalMs) || fanOutFull);
        if (!fanOutSkipped) {
          lastFanOut = performance.now();
          ({ scanned } = await fanOut(db, this.subscriber.id, this.subscriber, s.fanOutBatchSize));
          fanOutFull = scanned >= s.fanOutBatchSize;
        }
        if (fanOutFull || scanned > 0) progressed = true;
        const free = s.concurrency - this.inflight.size;
        if (free > 0 && this.secret !== undefined && !this.stopped) {
          const claimed = await claimDeliveries(db, this.subscriber.id, s.processId, free, s.leaseSeconds);
          for (const c of claimed) this.start(c);
          if (claimed.length > 0) progressed = true;
        }
        failures = 0;
      } catch (error) {
        failures++;
        if (this.stopped) break;
        this.log.warn({ err: { message: (error as Error).message } }, 'delivery step failed; retrying');
        await sleep(Math.min(5000, s.pollIntervalMs * 2 ** Math.min(failures, 5)));
        continue;
      }
      if (!progressed && this.outcomes.length === 0 && !this.stopped) {
        // Skipped fan-out: come back when it is due; else wait a poll interval (or a finished delivery).
        await this.idle(fanOutSkipped ? Math.max(1, lastFanOut + Math.min(50, s.pollIntervalMs) - performance.now()) : s.pollIntervalMs);
      }
    }
    await Promise.allSettled([...this.inflight]);
    for (let i = 0; i < 3 && this.outcomes.length > 0; i++) {
      try {
        await this.flush();
      } catch (error) {
        this.log.warn({ err: { message: (error as Error).message } }, 'could not record delivery outcomes at stop; their claims lapse and they are retried');
        await sleep(100);
      }
    }
  }

  private start(claim: ClaimedDelivery): void {
    const p = this.deliver(claim).then((outcome) => {
      this.outcomes.push(outcome);
      this.inflight.delete(p);
      this.wake?.();
    });
    this.inflight.add(p);
  }

  private async deliver({ event, attempt }: ClaimedDelivery): Promise<Outcome> {
    const s = this.settings;
    const name = this.subscriber.name;
    const ce = toCloudEvent(event);
    const body = JSON.stringify(ce);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const started = performance.now();
    const result = await s.transport.post(
      this.subscriber.url,
      {
        'content-type': CLOUDEVENTS_CONTENT_TYPE,
        'user-agent': 'mdm-hub',
        [SIGNATURE_HEADER]: sign(this.secret ?? '', timestamp, body),
        [TIMESTAMP_HEADER]: timestamp,
        [EVENT_ID_HEADER]: event.id,
        [ATTEMPT_HEADER]: String(attempt),
        traceparent: ce.traceparent,
      },
      body,
      s.timeoutMs,
    );
    const status = result.ok ? result.status : null;
    if (result.ok && result.status >= 200 && result.status < 300) {
      s.metrics.attemptDuration.observe({ subscriber: name }, (performance.now() - started) / 1000);
      s.metrics.attempts.inc({ subscriber: name, outcome: 'delivered' });
      s.metrics.latency.observe({ subscriber: name }, Math.max(0, Date.now() - event.createdAt.getTime()) / 1000);
      this.log.debug({ correlationId: event.correlationId ?? undefined, eventId: event.id, goldenId: event.goldenId, attempt }, 'event delivered');
      return { kind: 'delivered', outboxId: event.id };
    }
    const error = result.ok ? `HTTP ${result.status}` : result.error;
    s.metrics.attemptDuration.observe({ subscriber: name }, (performance.now() - started) / 1000);
    return { kind: 'failed', outboxId: event.id, attempt, status, error };
  }

  /** Records finished attempts: acknowledged ones leave the queue, failed ones wait or become dead letters. */
  private async flush(): Promise<boolean> {
    if (this.outcomes.length === 0) return false;
    const batch = this.outcomes;
    this.outcomes = [];
    const s = this.settings;
    const { db } = this.database;
    const name = this.subscriber.name;
    const delivered = batch.filter((o) => o.kind === 'delivered').map((o) => o.outboxId);
    const retry: FailedDelivery[] = [];
    const dead: Omit<FailedDelivery, 'retryInSeconds'>[] = [];
    for (const o of batch) {
      if (o.kind !== 'failed') continue;
      const log = this.log.child({ eventId: o.outboxId });
      if (o.attempt >= s.retry.maxAttempts) {
        dead.push({ outboxId: o.outboxId, status: o.status, error: o.error });
        s.metrics.attempts.inc({ subscriber: name, outcome: 'dead' });
        log.error({ attempt: o.attempt, status: o.status, reason: o.error }, 'event moved to the dead letters after its last attempt');
      } else {
        const delay = retryDelayMs(o.attempt, s.retry, s.random);
        retry.push({ outboxId: o.outboxId, status: o.status, error: o.error, retryInSeconds: delay / 1000 });
        s.metrics.attempts.inc({ subscriber: name, outcome: 'failed' });
        log.warn({ attempt: o.attempt, status: o.status, reason: o.error, retryInMs: Math.round(delay) }, 'delivery failed; will retry');
      }
    }
    try {
      await completeDeliveries(db, this.subscriber.id, delivered);
      await retryDeliveries(db, this.subscriber.id, s.processId, retry);
      await deadLetterDeliveries(db, this.subscriber.id, s.processId, dead);
    } catch (error) {
      // Keep them for the next flush; a lapsed claim is retried (at least once).
      this.outcomes.unshift(...batch);
      throw error;
    }
    return true;
  }
}

/**
 * Starts delivering outbox events to every active subscriber as signed CloudEvents, until `stop()`.
 * Each subscriber has its own worker (fan-out, claim, up to `concurrency` requests in flight), so a
 * slow or unreachable subscriber delays only itself. Delivery state lives in the database: several
 * hub processes can run a dispatcher against one PostgreSQL and share the work without delivering
 * an event twice at once, and a process that dies leaves claims that lapse and are retried.
 * Guarantees: docs/events.md.
 *
 * @example
 * ```ts
 * const dispatcher = startDispatcher(database, { pollIntervalMs: 150 });
 * process.once('SIGTERM', () => dispatcher.stop());
 * ```
 */
export function startDispatcher(database: Database, options: DispatcherOptions = {}): Dispatcher {
  const timeoutMs = options.timeoutMs ?? 5000;
  const settings: Settings = {
    pollIntervalMs: options.pollIntervalMs ?? 150,
    fanOutBatchSize: options.fanOutBatchSize ?? 2000,
    concurrency: options.concurrency ?? 128,
    timeoutMs,
    // A claim outlives the attempt (timeout) and the time to record its outcome.
    leaseSeconds: Math.ceil(timeoutMs / 1000) + 30,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    logger: options.logger ?? rootLogger,
    metrics: options.metrics ?? processDeliveryMetrics,
    secretBox: options.secretBox ?? secretBoxFromEnv(),
    transport: options.transport ?? createHttpTransport({ maxSockets: options.concurrency ?? 128 }),
    random: options.random ?? Math.random,
    processId: options.processId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
  };
  const log = settings.logger.child({ component: 'dispatcher' });
  const workers = new Map<string, SubscriberWorker>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function refresh(): Promise<void> {
    let subscribers: SubscriberRow[];
    try {
      subscribers = await loadActiveSubscribers(database.db);
    } catch (error) {
      log.warn({ err: { message: (error as Error).message } }, 'cannot read the subscribers; keeping the current ones');
      return;
    }
    if (stopped) return;
    const seen = new Set<string>();
    for (const sub of subscribers) {
      seen.add(sub.id);
      const worker = workers.get(sub.id);
      if (worker) worker.update(sub);
      else workers.set(sub.id, new SubscriberWorker(database, sub, settings));
    }
    for (const [id, worker] of workers) {
      if (!seen.has(id)) {
        workers.delete(id);
        void worker.stop();
      }
    }
  }

  const refreshing = { current: refresh() };
  const schedule = () => {
    timer = setTimeout(() => {
      refreshing.current = refresh().finally(() => {
        if (!stopped) schedule();
      });
    }, options.refreshIntervalMs ?? 1000);
  };
  schedule();
  log.info({ processId: settings.processId }, 'dispatcher started');

  return {
    processId: settings.processId,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      await refreshing.current.catch(() => undefined);
      await Promise.all([...workers.values()].map((w) => w.stop()));
      workers.clear();
      if (!options.transport) settings.transport.close();
      log.info({ processId: settings.processId }, 'dispatcher stopped');
    },
  };
}
