import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ENTITY_ATTRIBUTES, ENTITY_TYPES, type EntityType } from '../../core/entities';
import { isValidGs1 } from './checkdigits';
import { generateWorld } from './generate';
import { planWorld } from './plan';
import type { LabelledRecord, SourceName, WorldOptions } from './types';

function collect(options: WorldOptions): LabelledRecord[] {
  return [...generateWorld(options)];
}

function digest(options: WorldOptions): string {
  const h = createHash('sha256');
  for (const { record, trueId } of generateWorld(options)) h.update(`${JSON.stringify(record)}\t${trueId}\n`);
  return h.digest('hex');
}

const key = (entity: string, source: string, sourceId: string) => `${entity}|${source}|${sourceId}`;

/** The 5,000-record world most checks run on (default noise). */
const world = collect({ seed: 42, size: 5000 });
/** The same world shape without noise: every value is the true value in its source's conventions. */
const clean = collect({ seed: 42, size: 5000, noise: 0 });

describe('determinism', () => {
  it('gives identical output for the same seed and options', () => {
    expect(digest({ seed: 7, size: 3000 })).toBe(digest({ seed: 7, size: 3000 }));
    expect(digest({ seed: 'plant-a', size: 1000, noise: 0.9 })).toBe(digest({ seed: 'plant-a', size: 1000, noise: 0.9 }));
  });

  it('gives different output for another seed or noise level', () => {
    const a = digest({ seed: 7, size: 3000 });
    expect(digest({ seed: 8, size: 3000 })).not.toBe(a);
    expect(digest({ seed: 7, size: 3000, noise: 0.2 })).not.toBe(a);
  });
});

describe('size', () => {
  it('emits close to the requested number of records', () => {
    expect(Math.abs(world.length - 5000)).toBeLessThan(5000 * 0.03);
    const plan = planWorld({ seed: 3, size: 20_000 });
    expect(Math.abs(plan.totalRecords - 20_000)).toBeLessThan(20_000 * 0.02);
    expect(collect({ seed: 3, size: 50 }).length).toBeGreaterThan(10);
  });

  it('emits exactly the planned records', () => {
    const plan = planWorld({ seed: 42, size: 5000 });
    expect(world.length).toBe(plan.totalRecords);
  });
});

describe('canonical validation (5,000-record world)', () => {
  const ISO_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
  const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
  const validDate = (s: string) => ISO_DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

  it('has a valid envelope on every record, and unique (entity, source, sourceId)', () => {
    const keys = new Set<string>();
    for (const { record } of world) {
      expect(ENTITY_TYPES).toContain(record.entity);
      expect(record.source).toMatch(/^[a-z0-9_-]{1,40}$/);
      expect(typeof record.sourceId).toBe('string');
      expect(record.sourceId.length >= 1 && record.sourceId.length <= 128).toBe(true);
      expect(record.updatedAt).toMatch(ISO_TS);
      expect(Number.isNaN(Date.parse(record.updatedAt))).toBe(false);
      if ('deleted' in record) expect(record.deleted).toBe(true);
      const k = key(record.entity, record.source, record.sourceId);
      expect(keys.has(k), k).toBe(false);
      keys.add(k);
    }
  });

  it('carries only known attributes, with the right types', () => {
    const envelope = new Set(['entity', 'source', 'sourceId', 'updatedAt', 'deleted']);
    for (const { record } of world) {
      const specs = ENTITY_ATTRIBUTES[record.entity];
      for (const [name, value] of Object.entries(record)) {
        if (envelope.has(name)) continue;
        const spec = specs[name];
        expect(spec, `${record.entity}.${name}`).toBeDefined();
        expect(value, `${record.entity}.${name}`).not.toBe('');
        switch (spec.kind) {
          case 'number':
            expect(typeof value === 'number' && Number.isFinite(value)).toBe(true);
            break;
          case 'date':
            expect(validDate(value as string), `${name}=${String(value)}`).toBe(true);
            break;
          case 'enum':
            expect(spec.values).toContain(value);
            break;
          case 'refs':
            expect(Array.isArray(value) && (value as unknown[]).every((v) => typeof v === 'string' && v.length > 0)).toBe(true);
            break;
          default:
            expect(typeof value).toBe('string');
        }
      }
    }
  });

  it('has references that point to records of the same source present in the output', () => {
    const keys = new Set(world.map(({ record }) => key(record.entity, record.source, record.sourceId)));
    let checked = 0;
    for (const { record } of world) {
      const specs = ENTITY_ATTRIBUTES[record.entity];
      for (const [name, spec] of Object.entries(specs)) {
        const value = record[name];
        if (value === undefined || (spec.kind !== 'ref' && spec.kind !== 'refs')) continue;
        const targets = spec.kind === 'ref' ? [value as string] : (value as string[]);
        for (const t of targets) {
          expect(keys.has(key(spec.target as EntityType, record.source, t)), `${record.entity}.${name} -> ${t}`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it('references only records emitted earlier in the stream', () => {
    const seen = new Set<string>();
    for (const { record } of world) {
      for (const [name, spec] of Object.entries(ENTITY_ATTRIBUTES[record.entity])) {
        const value = record[name];
        if (value === undefined || (spec.kind !== 'ref' && spec.kind !== 'refs')) continue;
        for (const t of spec.kind === 'ref' ? [value as string] : (value as string[])) expect(seen.has(key(spec.target as EntityType, record.source, t))).toBe(true);
      }
      seen.add(key(record.entity, record.source, record.sourceId));
    }
  });

  it('marks a small fraction of records deleted', () => {
    const deleted = world.filter(({ record }) => record.deleted).length;
    expect(deleted).toBeGreaterThan(0);
    expect(deleted / world.length).toBeLessThan(0.05);
  });
});

describe('source ids', () => {
  it('follow each source system style', () => {
    for (const { record } of world) {
      if (record.source === 'erp') expect(record.sourceId).toMatch(/^\d{6,10}$/);
      if (record.source === 'crm') expect(record.sourceId).toMatch(/^[0-9a-zA-Z]{3}5g[0-9A-Za-z]{10}[A-Z0-5]{3}$/);
      if (record.source === 'fsm') expect(record.sourceId).toMatch(/^[0-9a-f]{32}$/);
    }
  });
});

describe('check digits of true values', () => {
  it('GTINs of the catalog and GLNs in a noise-free world are valid', () => {
    const plan = planWorld({ seed: 42, size: 50_000 });
    for (const p of plan.products) {
      expect([13, 14]).toContain(p.gtin.length);
      expect(isValidGs1(p.gtin), p.gtin).toBe(true);
    }
    let glns = 0;
    let gtins = 0;
    for (const { record } of clean) {
      if (typeof record.gln === 'string') {
        expect(record.gln).toMatch(/^\d{13}$/);
        expect(isValidGs1(record.gln), record.gln).toBe(true);
        glns++;
      }
      if (typeof record.gtin === 'string') {
        expect(isValidGs1(record.gtin), record.gtin).toBe(true);
        gtins++;
      }
    }
    expect(glns).toBeGreaterThan(50);
    expect(gtins).toBeGreaterThan(10);
  });
});

describe('hard negatives', () => {
  it('has sister companies: same city and street, similar names, different tax ids and true ids', () => {
    const orgs = clean.filter(({ record }) => record.entity === 'customer' && record.kind === 'organization' && record.source === 'erp');
    const byStreet = new Map<string, LabelledRecord[]>();
    for (const r of orgs) {
      const k = `${String(r.record.city)}|${String(r.record.street)}`;
      byStreet.set(k, [...(byStreet.get(k) ?? []), r]);
    }
    let pairs = 0;
    for (const group of byStreet.values()) {
      for (let i = 0; i < group.length; i++) {
        for (let j = i + 1; j < group.length; j++) {
          const a = group[i];
          const b = group[j];
          if (a.trueId === b.trueId || a.record.taxId === b.record.taxId) continue;
          const stemA = String(a.record.name).split(' ')[0];
          if (String(b.record.name).includes(stemA)) pairs++;
        }
      }
    }
    expect(pairs).toBeGreaterThan(0);
    const tagged = world.filter((r) => r.hardNegative?.kind === 'sister-company');
    expect(tagged.length).toBeGreaterThan(0);
    for (const r of tagged) expect(r.hardNegative?.of).not.toBe(r.trueId);
  });

  it('has namesake persons: same name and town, different birth dates', () => {
    const persons = clean.filter(({ record }) => record.entity === 'customer' && record.kind === 'person' && record.source === 'crm');
    const byName = new Map<string, LabelledRecord[]>();
    for (const r of persons) {
      const k = `${String(r.record.name)}|${String(r.record.city)}`;
      byName.set(k, [...(byName.get(k) ?? []), r]);
    }
    const namesakes = [...byName.values()].filter((g) => new Set(g.map((r) => r.trueId)).size > 1 && new Set(g.map((r) => r.record.dateOfBirth)).size > 1);
    expect(namesakes.length).toBeGreaterThan(0);
  });

  it('has product variants with different true ids (PMP-200 vs PMP-200-X)', () => {
    const products = clean.filter(({ record }) => record.entity === 'product' && record.source === 'erp');
    const byPart = new Map(products.map((r) => [String(r.record.partNumber), r.trueId]));
    let variants = 0;
    for (const [pn, trueId] of byPart) {
      const base = pn.replace(/-[A-Z0-9]+$/, '');
      if (base !== pn && byPart.has(base)) {
        expect(byPart.get(base)).not.toBe(trueId);
        variants++;
      }
    }
    expect(variants).toBeGreaterThan(0);
  });

  it('has sequential serial numbers of one product', () => {
    const serials = clean.filter(({ record }) => record.entity === 'serial' && /^SN-\d{7}$/.test(String(record.serialNumber)));
    const byNumber = new Map(serials.map((r) => [Number(String(r.record.serialNumber).slice(3)), r]));
    let sequential = 0;
    for (const [n, r] of byNumber) {
      const next = byNumber.get(n + 1);
      if (next && next.record.productRef === r.record.productRef) {
        expect(next.trueId).not.toBe(r.trueId);
        sequential++;
      }
    }
    expect(sequential).toBeGreaterThan(10);
  });
});

describe('sources', () => {
  const EXPECTED: Record<EntityType, SourceName[]> = {
    customer: ['erp', 'crm', 'fsm'],
    product: ['erp', 'crm'],
    serial: ['erp'],
    asset: ['erp', 'crm', 'fsm'],
    contract: ['erp', 'crm', 'fsm'],
    location: ['crm', 'fsm'],
  };

  it('spreads each entity type over its expected sources', () => {
    for (const entity of ENTITY_TYPES) {
      const sources = new Set(world.filter(({ record }) => record.entity === entity).map(({ record }) => record.source));
      expect([...sources].sort(), entity).toEqual([...EXPECTED[entity]].sort());
    }
  });

  it('puts a true entity in 1..3 sources, often more than one', () => {
    const sourcesOf = new Map<string, Set<string>>();
    for (const { record, trueId } of world) {
      if (!sourcesOf.has(trueId)) sourcesOf.set(trueId, new Set());
      sourcesOf.get(trueId)!.add(record.source);
    }
    const multi = [...sourcesOf.values()].filter((s) => s.size > 1).length;
    expect(multi / sourcesOf.size).toBeGreaterThan(0.3);
    for (const s of sourcesOf.values()) expect(s.size).toBeLessThanOrEqual(3);
  });

  it('honours a subset of sources', () => {
    const only = collect({ seed: 5, size: 2000, sources: ['crm', 'fsm'] });
    expect(new Set(only.map(({ record }) => record.source))).toEqual(new Set(['crm', 'fsm']));
    expect(only.some(({ record }) => record.entity === 'serial')).toBe(false);
    const keys = new Set(only.map(({ record }) => key(record.entity, record.source, record.sourceId)));
    for (const { record } of only) {
      if (typeof record.customerRef === 'string') expect(keys.has(key('customer', record.source, record.customerRef))).toBe(true);
    }
    expect(Math.abs(only.length - 2000)).toBeLessThan(100);
  });
});

describe('truth', () => {
  it('labels each record with exactly one true id of its entity type', () => {
    const PREFIX: Record<EntityType, string> = { customer: 'C', product: 'P', serial: 'S', asset: 'A', contract: 'K', location: 'L' };
    const labels = new Map<string, string>();
    for (const { record, trueId } of world) {
      expect(trueId).toMatch(new RegExp(`^${PREFIX[record.entity]}\\d{6,}$`));
      const k = key(record.entity, record.source, record.sourceId);
      expect(labels.has(k)).toBe(false);
      labels.set(k, trueId);
    }
  });

  it('contains in-source duplicates and cross-source matches', () => {
    const perSource = new Map<string, number>();
    for (const { record, trueId } of world) {
      const k = `${trueId}|${record.source}`;
      perSource.set(k, (perSource.get(k) ?? 0) + 1);
    }
    const dups = [...perSource.values()].filter((n) => n === 2).length;
    expect(dups).toBeGreaterThan(20);
    expect([...perSource.values()].every((n) => n <= 2)).toBe(true);
  });

  it('keeps noise-free duplicates equal except for envelope fields', () => {
    const seen = new Map<string, LabelledRecord>();
    let compared = 0;
    for (const r of clean) {
      if (r.record.entity !== 'serial') continue;
      const k = `${r.trueId}|${r.record.source}`;
      const first = seen.get(k);
      if (!first) {
        seen.set(k, r);
        continue;
      }
      const strip = ({ sourceId: _s, updatedAt: _u, deleted: _d, serialNumber: _n, productRef: _p, ...rest }: Record<string, unknown>) => rest;
      expect(strip(r.record)).toEqual(strip(first.record));
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('adds noise when asked: records of one entity differ more at noise 1 than at noise 0', () => {
    const distinctNames = (records: LabelledRecord[]) => {
      const byTrue = new Map<string, Set<string>>();
      for (const { record, trueId } of records) {
        if (record.entity !== 'customer' || typeof record.name !== 'string') continue;
        if (!byTrue.has(trueId)) byTrue.set(trueId, new Set());
        byTrue.get(trueId)!.add(record.name);
      }
      return [...byTrue.values()].filter((s) => s.size > 1).length;
    };
    const noisy = collect({ seed: 42, size: 5000, noise: 1 });
    expect(distinctNames(noisy)).toBeGreaterThan(distinctNames(clean) * 3);
  });
});
