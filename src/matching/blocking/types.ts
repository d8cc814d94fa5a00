/**
 * Input shapes of the blocking stage. The match-model schema declares the same
 * structural shapes; structural typing keeps the two interchangeable.
 */

/**
 * A record after standardization: dense integer id (0..n-1), source system, prepared fields.
 *
 * @example
 * ```ts
 * const r: PreparedRecord = { id: 0, source: 'erp', fields: { postcode: '80331', emails: ['a@x.de'] } };
 * ```
 */
export interface PreparedRecord {
  id: number;
  source: string;
  fields: Record<string, string | number | string[] | null>;
}

/**
 * A blocking rule from the declarative match model: records sharing the values
 * of all `on` fields become candidate pairs. `maxBlockSize` overrides the run's
 * generic-key bound for this rule.
 *
 * @example
 * ```ts
 * const rule: BlockingRule = { name: 'postcode+street', on: ['postcode', 'street'], maxBlockSize: 200 };
 * ```
 */
export interface BlockingRule {
  name: string;
  on: string[];
  maxBlockSize?: number;
}
