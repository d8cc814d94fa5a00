/**
 * Labelled, seeded synthetic manufacturing world: canonical source records of customers,
 * products, serials, assets, contracts and locations as an ERP (SAP-style), a CRM
 * (Salesforce-style) and a field-service platform (ServiceNow-style) hold them, with the true
 * entity id of every record. See `fixtures/world/README.md`.
 *
 * @example
 * ```ts
 * import { generateWorld } from './sim/world';
 * for (const { record, trueId } of generateWorld({ seed: 42, size: 10_000 })) {
 *   // feed `record` to the hub, keep `trueId` to score the result
 * }
 * ```
 */
export { EMIT_ORDER, emitWorld, generateWorld } from './generate';
export { planCounts, planWorld, resolveOptions, type PresenceTable, type WorldPlan } from './plan';
export { trueIdFor } from './ids';
export { isValidGs1 } from './checkdigits';
export { countsTable, writeWorld, type WriteWorldOptions, type WriteWorldResult } from './write';
export {
  SOURCE_ENTITIES,
  SOURCE_NAMES,
  type HardNegativeKind,
  type LabelledRecord,
  type SourceName,
  type WorldOptions,
  type WorldRecord,
} from './types';
