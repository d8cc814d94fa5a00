/**
 * Keys of the independent random streams of a world. Each true entity and each appearance draws
 * from its own stream `(seed, key, index, ...)`, so records can be generated in any order, and one
 * entity's content never depends on how many numbers another consumed.
 *
 * @example
 * ```ts
 * rng.reseed(plan.seed, STREAM.customer, index);
 * ```
 */
export const STREAM = {
  plan: 0x706c616e,
  group: 0x67727570,
  customer: 0x63757374,
  personName: 0x706e616d,
  location: 0x6c6f6361,
  serial: 0x73657269,
  asset: 0x61737365,
  contract: 0x636f6e74,
  appearance: 0x61707065,
} as const;
