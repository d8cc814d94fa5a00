/**
 * Shipped default match models, one per entity type (customers split into organizations and
 * persons), usable without labels or training.
 *
 * @example
 * ```ts
 * import { modelsFor } from './models';
 * modelsFor('product')[0].model.comparisons.map((c) => c.name)
 * ```
 *
 * @module
 */
export { modelFor, modelsFor, type ModelEntry } from './registry';
