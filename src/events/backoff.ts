/** Retry policy of deliveries: exponential backoff with jitter, then a dead letter. */
export interface RetryPolicy {
  /** Attempts in all (the first included) before the event becomes a dead letter. */
  maxAttempts: number;
  /** Delay before the second attempt (before jitter). */
  baseDelayMs: number;
  /** Upper bound of one delay. */
  maxDelayMs: number;
}

/** About two hours of retries: 1 s, 2 s, 4 s ... capped at 10 min, 20 attempts. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 20, baseDelayMs: 1000, maxDelayMs: 600_000 };

/**
 * The delay after failed attempt `attempt` (1-based): `min(max, base * 2^(attempt-1))`, of which a
 * random half is taken away ("equal jitter"), so receivers that come back are not hit by every
 * hub process at the same instant.
 *
 * @example
 * ```ts
 * retryDelayMs(3, DEFAULT_RETRY_POLICY, () => 0.5) // 3000 (between 2000 and 4000)
 * ```
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return exp / 2 + random() * (exp / 2);
}
