import { describe, expect, it } from 'vitest';
import { modelsFor } from '../models/registry';
import { mulberry32 } from '../scoring/random';
import { resolveEntity } from './resolve-entity';
import { concatVectors, scorePairRange } from './score-pairs';
import type { ResolveRecord } from './types';

let nextId = 0;
const rec = (source: string, sourceId: string, attributes: Record<string, unknown>): ResolveRecord => ({ id: nextId++, source, sourceId, attributes });

function organizations(): ResolveRecord[] {
  nextId = 0;
  return [
    // one company in three systems
    rec('erp', '1', { kind: 'organization', name: 'Krüger Maschinenbau GmbH', taxId: 'DE136695976', street: 'Industriestr. 12', postalCode: '70565', city: 'Stuttgart', country: 'DE', phone: '+49 711 123456' }),
    rec('crm', 'A', { kind: 'organization', name: 'Krueger Maschinenbau', street: 'Industriestraße 12', postalCode: '70565', city: 'Stuttgart', country: 'Germany', phone: '0711 123456' }),
    rec('fsm', 'x', { kind: 'organization', name: 'KRÜGER MASCHINENBAU GMBH', taxId: 'DE 136 695 976', street: 'Industriestrasse 12', postalCode: '70565', city: 'Stuttgart', country: 'DE' }),
    // sister company at the next door, its own VAT number and phone
    rec('erp', '2', { kind: 'organization', name: 'Krüger Maschinenbau Service GmbH', taxId: 'DE129273398', street: 'Industriestr. 14', postalCode: '70565', city: 'Stuttgart', country: 'DE', phone: '+49 711 987654' }),
    rec('crm', 'B', { kind: 'organization', name: 'Krüger Maschinenbau Service', taxId: 'DE129273398', street: 'Industriestraße 14', postalCode: '70565', city: 'Stuttgart', country: 'DE' }),
    // unrelated
    rec('crm', 'C', { kind: 'organization', name: 'Testa Termotecnica S.p.A.', street: 'Via del Lavoro 100', postalCode: '36197', city: 'Vicenza', country: 'IT' }),
  ];
}

function sameNameOtherVat(): ResolveRecord[] {
  nextId = 50;
  return [
    rec('erp', '1', { kind: 'organization', name: 'Krüger Maschinenbau GmbH', taxId: 'DE136695976', street: 'Industriestr. 12', postalCode: '70565', city: 'Stuttgart', country: 'DE' }),
    rec('crm', '1', { kind: 'organization', name: 'Krüger Maschinenbau GmbH', taxId: 'DE129273398', street: 'Industriestr. 12', postalCode: '70565', city: 'Stuttgart', country: 'DE' }),
  ];
}

function people(): ResolveRecord[] {
  nextId = 100;
  return [
    rec('erp', 'p1', { kind: 'person', givenName: 'Thomas', familyName: 'Müller', dateOfBirth: '1980-02-01', street: 'Hauptstr. 5', postalCode: '80331', city: 'München', country: 'DE', email: 'thomas.mueller@example.de' }),
    rec('crm', 'p2', { kind: 'person', givenName: 'Tom', familyName: 'Mueller', dateOfBirth: '1980-02-01', street: 'Hauptstraße 5', postalCode: '80331', city: 'Muenchen', country: 'DE', email: 'thomas.mueller@example.de' }),
    // same common name, same town, different date of birth
    rec('crm', 'p3', { kind: 'person', givenName: 'Thomas', familyName: 'Müller', dateOfBirth: '1955-09-30', street: 'Bahnhofstr. 9', postalCode: '80331', city: 'München', country: 'DE' }),
  ];
}

function products(): ResolveRecord[] {
  nextId = 200;
  return [
    rec('erp', 'P1', { partNumber: 'PMP-200', name: 'Centrifugal Pump PMP-200', manufacturer: 'Hydromec GmbH', gtin: '4006381333931', price: 6940.88 }),
    rec('crm', 'Q1', { partNumber: 'PMP 200', name: 'Centrifugal Pump PMP-200', manufacturer: 'Hydromec', price: 6940.88 }),
    rec('erp', 'P2', { partNumber: 'PMP-200-X', name: 'Centrifugal Pump PMP-200-X', manufacturer: 'Hydromec GmbH', price: 7420 }),
    rec('crm', 'Q2', { partNumber: 'PMP-200-X', name: 'Centrifugal Pump PMP-200-X', manufacturer: 'Hydromec', price: 7420 }),
  ];
}

function serials(): ResolveRecord[] {
  nextId = 300;
  const out = [];
  for (let i = 0; i < 6; i++) {
    out.push(rec('erp', `S${i}`, { serialNumber: `SN-100000${i}`, partNumber: 'PMP-200', manufacturer: 'Hydromec', manufactureDate: '2023-05-01', plant: '1010', batch: 'CH2305-000' }));
  }
  out.push(rec('erp', 'S9', { serialNumber: 'SN100000I', partNumber: 'PMP-200', manufacturer: 'Hydromec', manufactureDate: '2023-05-01', plant: '1010', batch: 'CH2305-000' }));
  return out;
}

/** A CRM account with a sure ERP match and a weaker one; the two ERP accounts are near duplicates of each other. */
function competingCandidates(): ResolveRecord[] {
  nextId = 400;
  return [
    rec('crm', 'A', { kind: 'organization', name: 'Krüger Maschinenbau GmbH', street: 'Industriestr. 12', postalCode: '70565', city: 'Stuttgart', country: 'DE', phone: '+49 711 123456', email: 'info@krueger-mb.de' }),
    rec('erp', '1', { kind: 'organization', name: 'Krüger Maschinenbau GmbH', street: 'Industriestraße 12', postalCode: '70565', city: 'Stuttgart', country: 'DE', phone: '0711 123456', email: 'info@krueger-mb.de' }),
    rec('erp', '2', { kind: 'organization', name: 'Krüger Maschinenbau GmbH', street: 'Hafenstr. 3', postalCode: '70565', city: 'Stuttgart', country: 'DE' }),
    rec('erp', '3', { kind: 'organization', name: 'Krüger Maschinenbau', street: 'Hafenstr. 3', postalCode: '70565', city: 'Stuttgart', country: 'DE', phone: '+49 711 999999' }),
  ];
}

const sortedClusters = (clusters: number[][]) => clusters.map((c) => [...c].sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);

describe('resolveEntity', () => {
  it('merges obvious duplicates and keeps a sister company with another VAT number apart', async () => {
    const result = await resolveEntity({ entity: 'customer', records: organizations() });
    expect(result.clusters).toEqual([[0, 1, 2], [3, 4], [5]]);
    expect(result.pairs.length).toBeGreaterThan(0);
    for (const pair of result.pairs) expect(pair.weight).toBeGreaterThanOrEqual(6);
    expect(result.model['customer-organization'].records).toBe(6);
    expect(result.blockingReport['customer-organization'].records).toBe(6);
    expect(result.candidatePairs).toBeGreaterThan(0);
  });

  it('treats conflicting VAT numbers as a hard negative even when everything else agrees', async () => {
    const result = await resolveEntity({ entity: 'customer', records: sameNameOtherVat() });
    expect(result.clusters).toEqual([[50], [51]]);
    expect(result.review).toHaveLength(1);
    expect(['cannot-link', 'between-thresholds']).toContain(result.review[0].reason);
    expect(result.review[0].explanation.some((row) => row.kind === 'rule' && row.comparison === 'vat')).toBe(true);
  });

  it('never compares organizations with persons, and keeps namesakes with different birth dates apart', async () => {
    const result = await resolveEntity({ entity: 'customer', records: [...organizations(), ...people()] });
    expect(result.clusters).toContainEqual([100, 101]);
    expect(result.clusters).toContainEqual([102]);
    expect(Object.keys(result.model).sort()).toEqual(['customer-organization', 'customer-person']);
  });

  it('keeps product variants apart', async () => {
    const result = await resolveEntity({ entity: 'product', records: products() });
    expect(result.clusters).toEqual([[200, 201], [202, 203]]);
  });

  it('keeps sequential serial numbers apart but folds OCR confusions', async () => {
    const result = await resolveEntity({ entity: 'serial', records: serials() });
    expect(result.clusters).toEqual([[300], [301, 306], [302], [303], [304], [305]]);
  });

  it('does not merge serials cut at the ERP field length automatically, keeps whole ones apart through them, and does not queue different serials for review', async () => {
    nextId = 300;
    const unit = (sourceId: string, serialNumber: string) =>
      rec('erp', sourceId, { serialNumber, partNumber: 'PMP-200X', manufacturer: 'Hydromec', manufactureDate: '2024-03-01', plant: '2010', batch: 'CH2403-000' });
    const records = [
      unit('1', 'PMP200X-24-000017'),
      unit('2', 'SN PMP200X24000017'), // 18 characters, whole as it happens: agrees with 1
      unit('3', 'Ser.No. PMP200X-24'), // cut: the beginning of every unit of 2024
      unit('4', 'Ser.No. PMP200X-24'),
      unit('5', 'PMP200X-24-000018'),
      unit('6', 'PMP200X-24-000017'),
    ];
    const result = await resolveEntity({ entity: 'serial', records });
    // Only the two whole, equal serials merge; everything else agrees but cannot be told apart.
    const sourceIdOf = new Map(records.map((r) => [r.id, r.sourceId]));
    expect(result.clusters.map((c) => c.map((id) => sourceIdOf.get(id)).sort()).sort()).toEqual([['1', '6'], ['2'], ['3'], ['4'], ['5']]);
    const cutPair = result.review.find((r) => [r.left, r.right].sort().join() === '302,303');
    expect(cutPair?.explanation.find((row) => row.kind === 'rule')?.label).toMatch(/cut identifier agrees but cannot confirm/);
    // Different whole serials are different units, however alike the rest: not on the review queue.
    expect(result.review.some((r) => [r.left, r.right].sort().join() === '300,304')).toBe(false);
    expect(result.review.some((r) => [r.left, r.right].sort().join() === '302,304')).toBe(true); // a cut serial agreeing with a whole one
  });

  it('respects steward cannot-link and must-link', async () => {
    const records = organizations();
    const result = await resolveEntity({ entity: 'customer', records, cannotLink: [[0, 1]], mustLink: [[4, 5]] });
    const clusterOf = (id: number) => result.clusters.find((c) => c.includes(id))!;
    expect(clusterOf(0)).not.toContain(1);
    expect(clusterOf(4)).toContain(5);
    expect(result.review.every((p) => !(p.left === 0 && p.right === 1))).toBe(true);
  });

  it('applies a must-link across the organization and person models', async () => {
    const result = await resolveEntity({ entity: 'customer', records: [...organizations(), ...people()], mustLink: [[5, 102]] });
    expect(result.clusters).toContainEqual([5, 102]);
  });

  it('explains review pairs with rows that add up to the weight', async () => {
    const records = organizations();
    // a weak duplicate: name and city only
    records.push({ id: 6, source: 'web', sourceId: 'w', attributes: { kind: 'organization', name: 'Krüger Maschinenbau', city: 'Stuttgart' } });
    const result = await resolveEntity({ entity: 'customer', records });
    for (const pair of result.review) {
      const sum = pair.explanation.reduce((a, r) => a + r.weight, 0);
      expect(sum).toBeCloseTo(pair.weight, 6);
      expect(pair.left).toBeLessThan(pair.right);
      expect(pair.rule).not.toBe('');
    }
  });

  it('lets two records that are each other\'s only candidate gain the overlap of their sources, and explains it', async () => {
    nextId = 400;
    const records = [
      rec('erp', 'a', { kind: 'organization', name: 'Krüger Maschinenbau GmbH', street: 'Industriestr. 12', postalCode: '70565', city: 'Stuttgart', country: 'DE' }),
      rec('crm', 'b', { kind: 'organization', name: 'Krueger Maschinenbau', street: 'Industriestr. 12', city: 'Stuttgart' }),
    ];
    const withOverlap = (overlap: Record<string, Record<string, number>>) => modelsFor('customer').map((entry) => ({ ...entry, overlap }));
    const alone = await resolveEntity({ entity: 'customer', records, models: withOverlap({}) });
    expect(alone.review).toHaveLength(1);
    const before = alone.review[0].weight;
    // 80% of each source has its match in the other: odds / (1 - 0.8), log2(5) bits more.
    const shared = await resolveEntity({ entity: 'customer', records, models: withOverlap({ erp: { crm: 0.8 }, crm: { erp: 0.8 } }) });
    expect(shared.model['customer-organization'].overlap).toEqual({ erp: { crm: 0.8 }, crm: { erp: 0.8 } });
    const after = before + Math.log2(5);
    expect(after).toBeLessThan(6); // still in review, with its explanation
    expect(shared.review).toHaveLength(1);
    expect(shared.review[0].weight).toBeCloseTo(after, 6);
    const row = shared.review[0].explanation.find((r) => r.comparison === 'onlyCandidate');
    expect(row?.weight).toBeCloseTo(Math.log2(5), 6);
    expect(shared.review[0].explanation.reduce((a, r) => a + r.weight, 0)).toBeCloseTo(after, 6);
    // Sure enough that the pair merges: 90% and a stronger pair (the country agrees too).
    const stronger = [records[0], { ...records[1], attributes: { ...records[1].attributes, country: 'DE' } }];
    const strong = await resolveEntity({ entity: 'customer', records: stronger, models: withOverlap({ erp: { crm: 0.9 }, crm: { erp: 0.9 } }) });
    const strongAlone = await resolveEntity({ entity: 'customer', records: stronger, models: withOverlap({}) });
    expect(strongAlone.review).toHaveLength(1);
    expect(strongAlone.review[0].weight + Math.log2(10)).toBeGreaterThanOrEqual(6);
    expect(strong.review).toHaveLength(0);
    expect(sortedClusters(strong.clusters)).toEqual([[400, 401]]);
    // Only one side largely covered by the other: the smaller gain applies.
    const oneSided = await resolveEntity({ entity: 'customer', records, models: withOverlap({ erp: { crm: 0.8 }, crm: { erp: 0.2 } }) });
    expect(oneSided.review[0].weight).toBeCloseTo(before + Math.log2(1 / 0.8), 6);
  });

  it('leaves a review-band pair that lost to a better candidate off the queue, and queues it once a steward rejects the better one', async () => {
    const records = competingCandidates();
    const key = (p: { left: number; right: number }) => `${p.left}-${p.right}`;
    // Scored alone, the weaker ERP candidate of the CRM account is in the review band.
    const alone = await resolveEntity({ entity: 'customer', records, options: { competition: false } });
    const weaker = alone.review.find((p) => key(p) === '400-402');
    expect(weaker?.weight).toBeGreaterThan(0);
    expect(alone.clusters).toEqual([[400, 401], [402, 403]]);

    // The sure candidate merges with the account; the weaker one, demoted to the floor, is not queued.
    // The pair of the two ERP accounts (one source: no competition) stays on the queue.
    const competing = await resolveEntity({ entity: 'customer', records });
    expect(competing.clusters).toEqual(alone.clusters);
    expect(competing.review.map(key)).not.toContain('400-402');
    expect(competing.review.map(key)).toContain('401-402');

    // Not a match: the rejected candidate no longer competes, so the weaker one is queued again at
    // no less than its own weight (the only candidate left, it may gain the sources' overlap).
    const rejected = await resolveEntity({ entity: 'customer', records, cannotLink: [[400, 401]] });
    expect(rejected.clusters).toEqual([[400], [401], [402, 403]]);
    const back = rejected.review.find((p) => key(p) === '400-402');
    expect(back!.weight).toBeGreaterThanOrEqual(weaker!.weight);
    expect(back?.explanation.some((row) => row.comparison === 'betterCandidate')).toBe(false);
  });

  it('does not depend on the order of the records', async () => {
    const records = [...organizations(), ...people(), ...products().map((r) => ({ ...r, attributes: { kind: 'organization', name: String(r.attributes.name) } }))];
    const base = await resolveEntity({ entity: 'customer', records });
    const next = mulberry32(7);
    for (let round = 0; round < 5; round++) {
      const shuffled = [...records];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      const result = await resolveEntity({ entity: 'customer', records: shuffled });
      expect(sortedClusters(result.clusters)).toEqual(sortedClusters(base.clusters));
      expect(result.review.map((p) => [p.left, p.right, p.weight])).toEqual(base.review.map((p) => [p.left, p.right, p.weight]));
    }
  });

  it('scores through a pluggable executor', async () => {
    let calls = 0;
    const result = await resolveEntity({
      entity: 'customer',
      records: organizations(),
      scorePairs: async (task) => {
        calls++;
        const half = task.left.length >> 1;
        return concatVectors([scorePairRange(task, 0, half), scorePairRange(task, half, task.left.length)]);
      },
    });
    expect(calls).toBe(1);
    expect(result.clusters).toEqual([[0, 1, 2], [3, 4], [5]]);
  });

  it('trains without labels when asked', async () => {
    const records = [...organizations()];
    const result = await resolveEntity({ entity: 'customer', records, options: { train: true, uSamplePairs: 1000 } });
    expect(result.model['customer-organization'].training).toBeDefined();
    expect(result.model['customer-organization'].model.version).toBe(2);
  });
});
