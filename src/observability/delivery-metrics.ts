import { Counter, Histogram, Registry } from 'prom-client';

/**
 * What the dispatcher records while it delivers: latency from the outbox write to the
 * subscriber's acknowledgement, the duration of each HTTP attempt, and attempts by outcome.
 * `subscriber` is the subscriber's name (few, operator-chosen values).
 */
export interface DeliveryMetrics {
  readonly latency: Histogram<'subscriber'>;
  readonly attemptDuration: Histogram<'subscriber'>;
  readonly attempts: Counter<'subscriber' | 'outcome'>;
}

/**
 * Registers the delivery metrics on a registry.
 *
 * @example
 * ```ts
 * const registry = new Registry();
 * const metrics = createDeliveryMetrics(registry);
 * metrics.attempts.inc({ subscriber: 'erp', outcome: 'delivered' });
 * ```
 */
export function createDeliveryMetrics(registry: Registry): DeliveryMetrics {
  return {
    latency: new Histogram({
      name: 'mdm_delivery_latency_seconds',
      help: 'Time from the outbox write (start of the writing transaction) to the subscriber acknowledging the event',
      labelNames: ['subscriber'],
      buckets: [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 30, 60, 300, 1800],
      registers: [registry],
    }),
    attemptDuration: new Histogram({
      name: 'mdm_delivery_attempt_duration_seconds',
      help: 'Duration of one HTTP delivery attempt to a subscriber',
      labelNames: ['subscriber'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    attempts: new Counter({
      name: 'mdm_delivery_attempts_total',
      help: 'Delivery attempts by outcome: delivered (2xx), failed (will be retried), dead (retry budget spent)',
      labelNames: ['subscriber', 'outcome'],
      registers: [registry],
    }),
  };
}

/**
 * The process-wide registry of delivery metrics: a dispatcher started without its own metrics
 * records here, and every app's `/metrics` includes it.
 */
export const deliveryRegistry = new Registry();
export const processDeliveryMetrics: DeliveryMetrics = createDeliveryMetrics(deliveryRegistry);
