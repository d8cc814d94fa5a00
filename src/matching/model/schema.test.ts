import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { modelSchema, parseModel, type MatchModelInput } from './schema';
import person from './examples/person.json';
import { defaultLevelProbabilities, levelProbabilities } from './defaults';
import { withTrainedValues } from './update';

const base = (): MatchModelInput => ({
  entity: 'product',
  version: 1,
  prior: 0.001,
  thresholds: { autoMerge: { probability: 0.99 }, review: { probability: 0.8 } },
  comparisons: [
    { name: 'partNorm', fields: ['partNorm'], levels: [{ kind: 'null' }, { kind: 'exact' }, { kind: 'else' }] },
  ],
});

function issues(json: unknown) {
  const result = modelSchema.safeParse(json);
  expect(result.success).toBe(false);
  return result.success ? [] : result.error.issues;
}

describe('model schema', () => {
  it('accepts the person example and applies defaults', () => {
    const model = parseModel(person);
    expect(model.comparisons).toHaveLength(6);
    expect(model.rules[0]).toMatchObject({ onEqual: 'match', onConflict: 'hardNegative', conflictWeight: 0 });
    expect(model.comparisons[1].tf).toEqual({ field: 'familyName', minU: 0.0001, weight: 1 });
    const minimal = parseModel(base());
    expect(minimal.blocking).toEqual([]);
    expect(minimal.rules).toEqual([]);
  });

  it('reports a bad level parameter with its path', () => {
    const json = base();
    json.comparisons[0].levels.splice(2, 0, { kind: 'jaroWinkler', min: 1.5 });
    const found = issues(json);
    expect(found.some((i) => i.path.join('.') === 'comparisons.0.levels.2.min')).toBe(true);
  });

  it('rejects unknown level kinds and unknown keys', () => {
    const json = base() as unknown as { comparisons: { levels: unknown[] }[]; extra?: number };
    json.comparisons[0].levels[1] = { kind: 'soundex' };
    expect(issues(json).some((i) => i.path.join('.') === 'comparisons.0.levels.1.kind')).toBe(true);
    const typo = base() as unknown as { comparisons: { levels: unknown[] }[] };
    typo.comparisons[0].levels.splice(1, 0, { kind: 'levenshtein', max: 1, mim: 2 });
    expect(issues(typo).some((i) => i.path.join('.').startsWith('comparisons.0.levels.1'))).toBe(true);
  });

  it('requires the null level first and else last', () => {
    const json = base();
    json.comparisons[0].levels = [{ kind: 'exact' }, { kind: 'null' }, { kind: 'else' }];
    const paths = issues(json).map((i) => i.path.join('.'));
    expect(paths).toContain('comparisons.0.levels.0.kind');
    expect(paths).toContain('comparisons.0.levels.1.kind');
    const noElse = base();
    noElse.comparisons[0].levels = [{ kind: 'null' }, { kind: 'exact' }];
    expect(issues(noElse).map((i) => i.path.join('.'))).toContain('comparisons.0.levels.1.kind');
  });

  it('requires two fields for a swapped level', () => {
    const json = base();
    json.comparisons[0].levels.splice(2, 0, { kind: 'swapped' });
    expect(issues(json).map((i) => i.message).join()).toMatch(/two fields/);
  });

  it('checks that m and u sum to one when given', () => {
    const json = base();
    json.comparisons[0].levels = [{ kind: 'null' }, { kind: 'exact', m: 0.9, u: 0.01 }, { kind: 'else', m: 0.5, u: 0.99 }];
    const found = issues(json);
    expect(found).toHaveLength(1);
    expect(found[0].path).toEqual(['comparisons', 0, 'levels']);
    expect(found[0].message).toMatch(/m values sum/);
  });

  it('rejects duplicate names, probabilities out of range and inverted thresholds', () => {
    const json = base();
    json.comparisons.push({ ...json.comparisons[0] });
    json.prior = 1;
    json.thresholds = { autoMerge: { matchWeight: 2 }, review: { probability: 0.9 } };
    const paths = issues(json).map((i) => i.path.join('.'));
    expect(paths).toContain('comparisons.1.name');
    expect(paths).toContain('prior');
    expect(paths).toContain('thresholds.autoMerge');
  });

  it('gives readable errors', () => {
    const result = modelSchema.safeParse({ ...base(), version: 'one' });
    expect(result.success).toBe(false);
    if (!result.success) expect(z.prettifyError(result.error)).toMatch(/version/);
  });
});

describe('model defaults and updates', () => {
  it('defaults decrease in weight from strongest level to else', () => {
    const model = parseModel(person);
    for (const comparison of model.comparisons) {
      const { m, u } = defaultLevelProbabilities(comparison);
      const sum = (xs: number[]) => xs.slice(1).reduce((a, b) => a + b, 0);
      expect(sum(m)).toBeCloseTo(1, 9);
      expect(sum(u)).toBeCloseTo(1, 9);
      const weights = m.slice(1).map((mv, i) => Math.log2(mv / u[i + 1]));
      for (let i = 1; i < weights.length; i++) expect(weights[i]).toBeLessThan(weights[i - 1]);
    }
  });

  it('writes trained values back, bumps the version and stays valid', () => {
    const model = parseModel(base());
    const next = withTrainedValues(model, { m: [[1, 0.912345678, 0.087654322]], u: [[1, 0.0123, 0.9877]], prior: 0.0042 });
    expect(next.version).toBe(2);
    expect(next.prior).toBe(0.0042);
    expect(next.comparisons[0].levels[1]).toMatchObject({ kind: 'exact', m: 0.912346, u: 0.0123 });
    expect(next.comparisons[0].levels[0]).toEqual({ kind: 'null' });
    expect(levelProbabilities(parseModel(next).comparisons[0]).m[2]).toBeCloseTo(0.0876543, 6);
    expect(model.version).toBe(1);
  });
});
