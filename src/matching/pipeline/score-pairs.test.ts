import { describe, expect, it } from 'vitest';
import type { EntityType } from '../../core/entities';
import { modelsFor } from '../models/registry';
import { prepareRecord } from '../prepare';
import { NO_REFERENCES } from '../prepare/types';
import { compileModel } from '../scoring/compare';
import { mulberry32 } from '../scoring/random';
import { createWeightResult, scoreWeight } from '../scoring/score';
import { frequencyTables } from '../scoring/term-frequency';
import { concatVectors, PAIR_DETERMINISTIC_MATCH, PAIR_HARD_NEGATIVE, scorePairRange, weighPairs } from './score-pairs';

const pick = <T>(next: () => number, list: readonly T[]): T => list[Math.floor(next() * list.length)];

function organizations(n: number, seed: number): Array<Record<string, unknown>> {
  const next = mulberry32(seed);
  const names = ['Krüger Maschinenbau GmbH', 'Krueger Maschinenbau', 'KRÜGER MASCHINENBAU GMBH', 'Testa Termotecnica S.p.A.', 'Hydromec GmbH', 'Hydromec', 'Nordlicht Anlagenbau AG'];
  const taxIds = ['DE136695976', 'DE 136 695 976', 'DE129273398', 'IT01234567897', null];
  const streets = ['Industriestr. 12', 'Industriestraße 12', 'Via del Lavoro 100', 'Hafenweg 3', null];
  const cities = [['70565', 'Stuttgart', 'DE'], ['36197', 'Vicenza', 'IT'], ['20457', 'Hamburg', 'DE']];
  return Array.from({ length: n }, () => {
    const [postalCode, city, country] = pick(next, cities);
    const out: Record<string, unknown> = { kind: 'organization', name: pick(next, names), postalCode, city, country };
    const taxId = pick(next, taxIds);
    if (taxId) out.taxId = taxId;
    const street = pick(next, streets);
    if (street) out.street = street;
    if (next() < 0.5) out.phone = pick(next, ['+49 711 123456', '0711 123456', '+39 0444 555111']);
    return out;
  });
}

function prepared(entity: EntityType, attributes: Array<Record<string, unknown>>) {
  return attributes.map((a, i) => prepareRecord(entity, { id: i, source: i % 2 === 0 ? 'erp' : 'crm', sourceId: String(i), attributes: a }, NO_REFERENCES));
}

describe('weighPairs', () => {
  it('gives the weights and flags of scoreWeight, to the last bit, from the level vectors of any prior', () => {
    const entry = modelsFor('customer').find((e) => e.name === 'customer-organization')!;
    const records = prepared('customer', organizations(60, 11));
    const termFrequencies = frequencyTables(entry.model, records);
    const left: number[] = [];
    const right: number[] = [];
    for (let i = 0; i < records.length; i++) for (let j = i + 1; j < records.length; j++) (left.push(i), right.push(j));
    const task = { model: entry.model, termFrequencies, records, left: Int32Array.from(left), right: Int32Array.from(right) };
    const half = left.length >> 1;
    const vectors = concatVectors([scorePairRange(task, 0, half), scorePairRange(task, half)]);
    expect(vectors.pairCount).toBe(left.length);

    let tfAdjusted = 0;
    let flagged = 0;
    for (const prior of [entry.model.prior, 0.0123, 1e-7]) {
      const compiled = compileModel({ ...entry.model, prior }, { termFrequencies });
      const { weight, flags } = weighPairs(compiled, records, task.left, vectors);
      const reference = compileModel({ ...entry.model, prior }, { termFrequencies });
      const out = createWeightResult(reference);
      for (let k = 0; k < left.length; k++) {
        scoreWeight(reference, records[left[k]], records[right[k]], out);
        expect(weight[k]).toBe(out.weight);
        expect(flags[k]).toBe((out.hardNegative ? PAIR_HARD_NEGATIVE : 0) | (out.deterministicMatch ? PAIR_DETERMINISTIC_MATCH : 0));
        if (flags[k] !== 0) flagged++;
        if (reference.comparisons.some((c, i) => c.tfLevels[out.levels[i]] === 1)) tfAdjusted++;
      }
    }
    // The fixture exercises the rules and the term-frequency adjustments, not only plain levels.
    expect(flagged).toBeGreaterThan(0);
    expect(tfAdjusted).toBeGreaterThan(0);
  });

  it('refuses level vectors of another model', () => {
    const organization = modelsFor('customer').find((e) => e.name === 'customer-organization')!;
    const product = modelsFor('product')[0];
    const records = prepared('customer', organizations(4, 3));
    const task = { model: organization.model, termFrequencies: frequencyTables(organization.model, records), records, left: Int32Array.from([0, 1]), right: Int32Array.from([2, 3]) };
    const vectors = scorePairRange(task);
    expect(() => weighPairs(compileModel(product.model), records, task.left, vectors)).toThrow(/do not fit a model/);
  });
});
