import { describe, expect, it } from 'vitest';
import { ENTITY_TYPES } from '../../core/entities';
import { modelSchema } from '../model/schema';
import { compileModel } from '../scoring/compare';
import { modelFor, modelsFor } from './registry';

describe('default models', () => {
  it('exist for every entity type, parse, compile and carry m/u on every level', () => {
    for (const entity of ENTITY_TYPES) {
      const entries = modelsFor(entity);
      expect(entries.length).toBeGreaterThan(0);
      for (const { model } of entries) {
        expect(modelSchema.safeParse(model).success).toBe(true);
        expect(model.entity).toBe(entity);
        const compiled = compileModel(model);
        expect(compiled.thresholds.autoMerge).toBeGreaterThan(compiled.thresholds.review);
        for (const comparison of model.comparisons) {
          for (const level of comparison.levels.slice(1)) {
            expect(level.kind === 'null' ? 1 : level.m, `${model.entity}/${comparison.name}`).toBeDefined();
          }
        }
      }
    }
  });

  it('every model has blocking rules', () => {
    for (const entity of ENTITY_TYPES) {
      for (const { model } of modelsFor(entity)) expect(model.blocking.length).toBeGreaterThan(0);
    }
  });

  it('pick the customer model by kind', () => {
    const entries = modelsFor('customer');
    expect(modelFor(entries, { kind: 'person', givenName: 'Anna' })?.name).toBe('customer-person');
    expect(modelFor(entries, { name: 'Acme GmbH' })?.name).toBe('customer-organization');
    expect(modelFor(entries, { givenName: 'Anna', familyName: 'Maier' })?.name).toBe('customer-person');
    expect(modelFor(modelsFor('product'), {})?.name).toBe('product');
  });
});
