import { describe, expect, it } from 'vitest';
import { resolveEntity } from '../pipeline/resolve-entity';
import { prepareLocation, siteNameNumbers } from './location';
import type { PrepareContext } from './types';

/** Every location's customerRef resolves to its own text: records naming one owner share it. */
const OWNERS: PrepareContext = { ref: (_entity, sourceId) => `owner:${sourceId}` };

describe('siteNameNumbers', () => {
  it('keeps the numbers standing alone in a site name, sorted, without leading zeros', () => {
    expect(siteNameNumbers(['jung', 'werk', 'chemnitz', '05'])).toBe('5');
    expect(siteNameNumbers(['plant', '3', 'hall', '12'])).toBe('12 3');
    expect(siteNameNumbers(['plant', '2', 'plant', '02'])).toBe('2');
  });

  it('marks a name without numbers, so a number on one side only is a difference', () => {
    expect(siteNameNumbers(['jung', 'werk', 'chemnitz'])).toBe('-');
    expect(siteNameNumbers([])).toBeNull();
  });

  it('is filled by prepareLocation from the name', () => {
    const r = prepareLocation({ id: 0, source: 'crm', sourceId: 'L1', attributes: { name: 'Jung Werk Chemnitz 5' } }, OWNERS);
    expect(r.fields.nameNumbers).toBe('5');
    expect(prepareLocation({ id: 1, source: 'crm', sourceId: 'L2', attributes: { street: 'Hauptstr. 1' } }, OWNERS).fields.nameNumbers).toBeNull();
  });
});

describe('location model: sites of one owner', () => {
  const address = { street: 'Water Way', houseNumber: '909', postalCode: '40238', city: 'Louisville', country: 'US' };
  let id = 0;
  const record = (source: string, name: string, extra: Record<string, unknown> = {}) => ({
    id: ++id,
    source,
    sourceId: `${source}-${id}`,
    attributes: { name, customerRef: 'C1', ...address, ...extra },
  });

  // Background sites of other owners, so the prior and term frequencies are those of a real set.
  const background = Array.from({ length: 60 }, (_, i) =>
    record(i % 2 ? 'crm' : 'fsm', `Owner${i} Plant City${i}`, {
      customerRef: `C${100 + i}`,
      street: `Street${i}`,
      houseNumber: String(i + 1),
      postalCode: String(10000 + i * 7),
    }),
  );

  it('merges the records of one site with keying errors, and keeps the head office and a plant at one address apart', async () => {
    const office1 = record('crm', 'Kelly Process Solutions Head Office');
    const office2 = record('fsm', 'KELLY PROCESS SOLUTIONS HEAD OFIFCE');
    const plant1 = record('crm', 'Kelly Plant Louisville');
    const plant2 = record('fsm', 'Kelly Plant Louisvile');
    const result = await resolveEntity({ entity: 'location', records: [...background, office1, office2, plant1, plant2], context: OWNERS });
    const clusterOf = (r: { id: number }) => result.clusters.find((c) => c.includes(r.id));
    expect(clusterOf(office1)).toEqual([office1.id, office2.id]);
    expect(clusterOf(plant1)).toEqual([plant1.id, plant2.id]);
  });

  it('keeps numbered sites of one owner apart ("Werk 2" / "Werk 3", "Werk" / "Werk 2")', async () => {
    const w2 = record('crm', 'Jung Werk Chemnitz 2');
    const w3 = record('fsm', 'Jung Werk Chemnitz 3');
    const w = record('fsm', 'Jung Werk Chemnitz');
    const result = await resolveEntity({ entity: 'location', records: [...background, w2, w3, w], context: OWNERS });
    for (const r of [w2, w3, w]) expect(result.clusters.find((c) => c.includes(r.id))).toEqual([r.id]);
  });

  it('does not merge sites of different owners at one address, even with the same name', async () => {
    const a = record('crm', 'Warehouse Louisville', { customerRef: 'C1' });
    const b = record('fsm', 'Warehouse Louisville', { customerRef: 'C2' });
    const result = await resolveEntity({ entity: 'location', records: [...background, a, b], context: OWNERS });
    expect(result.clusters.find((c) => c.includes(a.id))).toEqual([a.id]);
  });
});
