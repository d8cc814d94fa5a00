import { describe, expect, it } from 'vitest';
import person from '../model/examples/person.json';
import { parseModel, type MatchModel } from '../model/schema';
import { compileModel } from './compare';
import { createWeightResult, scoreWeight } from './score';
import { trainModel } from './train';
import type { TermFrequencyTable } from './term-frequency';
import { forEachCandidatePair } from './vectors';
import { blockPairs, syntheticPeople } from './fixtures/synthetic-people';

/** The person model blocked loosely on family name (mostly non-matching pairs) and on date of birth. */
const model: MatchModel = parseModel({
  ...person,
  blocking: [
    { name: 'familyName', on: ['familyName'] },
    { name: 'dob', on: ['dob'] },
  ],
});
const people = syntheticPeople(2000, 5);
const pairs = blockPairs(people.records, model.blocking);
const options = { seed: 3, uSamplePairs: 200_000 };

function confusion(trained: MatchModel, termFrequencies: Record<string, TermFrequencyTable>) {
  const compiled = compileModel(trained, { termFrequencies });
  const out = createWeightResult(compiled);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  forEachCandidatePair(pairs, (i, j) => {
    const truth = people.entityOf[i] === people.entityOf[j];
    const predicted = scoreWeight(compiled, people.records[i], people.records[j], out).weight > 0;
    if (predicted && truth) tp++;
    else if (predicted) fp++;
    else if (truth) fn++;
  });
  return { precision: tp / (tp + fp), recall: tp / (tp + fn), matches: tp + fn };
}

describe('trainModel', () => {
  const result = trainModel(model, people.records, pairs, options);

  it('returns the same model shape with every level trained and the version bumped', () => {
    const trained = result.model;
    expect(parseModel(trained)).toEqual(trained);
    expect(trained.version).toBe(model.version + 1);
    for (const comparison of trained.comparisons) {
      for (const level of comparison.levels.slice(1)) {
        expect(level.kind === 'null' ? undefined : level.m).toBeGreaterThan(0);
        expect(level.kind === 'null' ? undefined : level.u).toBeGreaterThan(0);
      }
    }
    expect(trained.training).toMatchObject({ records: people.records.length, candidatePairs: pairs.length / 2, seed: 3 });
    expect(result.report.untrained).toEqual([]);
    expect(Object.keys(result.termFrequencies).sort()).toEqual(['city', 'familyName', 'givenName']);
  });

  it('leaves the comparisons on each blocking rule out of that rule\'s session', () => {
    const byName = Object.fromEntries(result.report.sessions.map((s) => [s.name, s]));
    expect(byName.familyName.excluded).toEqual(['givenName', 'familyName']);
    expect(byName.dob.excluded).toEqual(['dob']);
    expect(byName.familyName.pairs + byName.dob.pairs).toBeGreaterThanOrEqual(pairs.length / 2);
  });

  it('separates true matches from non-matches among the candidates without labels', () => {
    const { precision, recall } = confusion(result.model, result.termFrequencies);
    expect(precision).toBeGreaterThan(0.95);
    expect(recall).toBeGreaterThan(0.95);
  });

  it('learns that agreement is likely among matches and rare among non-matches', () => {
    const exact = (name: string) => result.report.levels.find((r) => r.comparison === name && r.level === 1)!;
    for (const name of ['familyName', 'dob', 'postalCode', 'email']) {
      expect(exact(name).mAfter).toBeGreaterThan(0.7);
      expect(exact(name).uAfter).toBeLessThan(0.05);
    }
    const givenElse = result.report.levels.find((r) => r.comparison === 'givenName' && r.label === 'all other')!;
    expect(givenElse.mAfter).toBeLessThan(0.1);
  });

  it('estimates the prior close to the true share of matching pairs', () => {
    const { matches } = confusion(result.model, result.termFrequencies);
    const n = people.records.length;
    const truth = matches / ((n * (n - 1)) / 2);
    expect(result.report.prior.estimated).toBe(true);
    expect(Math.abs(result.model.prior - truth) / truth).toBeLessThan(0.25);
  });

  it('is deterministic for a seed', () => {
    const again = trainModel(model, people.records, pairs, options);
    expect(again.model).toEqual(result.model);
  });

  it('accepts columnar pairs and a single session', () => {
    const count = pairs.length / 2;
    const left = Int32Array.from({ length: count }, (_, k) => pairs[2 * k]);
    const right = Int32Array.from({ length: count }, (_, k) => pairs[2 * k + 1]);
    const single = trainModel(model, people.records, { left, right, count }, { ...options, sessions: 'single', estimatePrior: false });
    expect(single.report.sessions.map((s) => s.name)).toEqual(['all']);
    expect(single.report.candidatePairs).toBe(count);
    expect(single.model.prior).toBe(model.prior);
  });

  it('keeps the model as it was when there are no candidate pairs', () => {
    const empty = trainModel(model, people.records.slice(0, 100), [], options);
    expect(empty.model.prior).toBe(model.prior);
    expect(empty.report.untrained).toHaveLength(model.comparisons.length);
    expect(empty.report.sessions.every((s) => s.skipped === 'no pairs')).toBe(true);
  });
});

describe('trainModel session membership', () => {
  it('counts a pair for a rule only when it shares a block within the rule\'s size bound', () => {
    const bounded = parseModel({
      ...person,
      blocking: [
        { name: 'familyName', on: ['familyName'], maxBlockSize: 40 },
        { name: 'dob', on: ['dob'] },
      ],
    });
    const small = syntheticPeople(800, 17);
    const all = blockPairs(small.records, bounded.blocking);
    const byFamily = blockPairs(small.records, [bounded.blocking[0]]);
    const byDob = blockPairs(small.records, [bounded.blocking[1]]);
    const { report } = trainModel(bounded, small.records, all, { seed: 1, uSamplePairs: 20_000 });
    const sessions = Object.fromEntries(report.sessions.map((s) => [s.name, s.pairs]));
    expect(sessions.familyName).toBe(byFamily.length / 2);
    expect(sessions.dob).toBe(byDob.length / 2);
    expect(byFamily.length / 2).toBeGreaterThan(0);
  });
});

describe('trainModel with loose blocking and correlated fields', () => {
  // Emails embed the names and postal codes follow the city, so non-matches in a name or a
  // given-name+city block agree on other fields far more often than random pairs do.
  const rules = [
    { name: 'familyName', on: ['familyName'], maxBlockSize: 100 },
    { name: 'givenName+city', on: ['givenName', 'city'], maxBlockSize: 100 },
    { name: 'dob', on: ['dob'] },
  ];
  const loose = parseModel({ ...person, blocking: rules });
  const data = syntheticPeople(3000, 9);
  const candidates = blockPairs(data.records, rules);
  const { model: trained, report, termFrequencies } = trainModel(loose, data.records, candidates, { seed: 1, uSamplePairs: 200_000 });

  it('still separates matches from non-matches', () => {
    const compiled = compileModel(trained, { termFrequencies });
    const out = createWeightResult(compiled);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    forEachCandidatePair(candidates, (i, j) => {
      const truth = data.entityOf[i] === data.entityOf[j];
      const predicted = scoreWeight(compiled, data.records[i], data.records[j], out).weight > 0;
      if (predicted && truth) tp++;
      else if (predicted) fp++;
      else if (truth) fn++;
    });
    expect(tp / (tp + fp)).toBeGreaterThan(0.95);
    expect(tp / (tp + fn)).toBeGreaterThan(0.95);
    const n = data.records.length;
    const truthPrior = (tp + fn) / ((n * (n - 1)) / 2);
    expect(Math.abs(trained.prior - truthPrior) / truthPrior).toBeLessThan(0.25);
  });

  it('estimates each comparison in the session with the largest share of matches that can', () => {
    const byName = Object.fromEntries(report.sessions.map((s) => [s.name, s]));
    expect(byName.dob.rank).toBe(1);
    expect(byName.dob.trained).toEqual(['givenName', 'familyName', 'postalCode', 'city', 'email']);
    expect(byName.familyName.trained).toEqual(['dob']);
    expect(byName['givenName+city'].trained).toEqual([]);
  });
});
