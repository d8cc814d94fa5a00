/**
 * The mappings of the labelled public datasets (fixtures/mappings/) load the real files as valid
 * canonical records, with the expected attributes and no ground-truth column.
 *
 * The datasets are read in place from MDM_DATASETS (default ../shared/datasets); when they are
 * absent these tests fail rather than skip.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '../../src/core/entities';
import { validateCanonical } from '../../src/ingest/canonical-record';
import { readFileRows } from '../../src/ingest/file-reader';
import { compileMapping, type Mapping, parseMapping } from '../../src/ingest/mapping';
import { DATASETS, type Dataset, type DatasetFile, datasetByName, PROJECT_ROOT, requireDatasetsDir } from '../../bench/lib/datasets';

const MAPPINGS_DIR = join(PROJECT_ROOT, 'fixtures/mappings');

function loadMapping(path: string): Mapping {
  return parseMapping(readFileSync(join(PROJECT_ROOT, path), 'utf8'), path);
}

interface Loaded {
  records: CanonicalRecord[];
  failures: string[];
}

/** Reads a dataset file the way `mdm ingest --mapping M --source S` does (same reader, mapping, validation). */
async function load(dataset: Dataset, file: DatasetFile, limit = Infinity): Promise<Loaded> {
  const dir = requireDatasetsDir();
  const mapping = loadMapping(dataset.mapping);
  const map = compileMapping(mapping);
  const out: Loaded = { records: [], failures: [] };
  for await (const item of readFileRows(join(dir, file.path), { format: mapping.format ?? 'csv', csv: mapping.csv })) {
    if ('error' in item) out.failures.push(`line ${item.line}: ${item.error}`);
    else {
      const r = validateCanonical(map(item.row), { fromText: true, defaultSource: file.source });
      if (r.ok) out.records.push(r.record);
      else out.failures.push(`line ${item.line}: ${r.reason}`);
    }
    if (out.records.length + out.failures.length >= limit) break;
  }
  return out;
}

/** Share of records having an attribute. */
const share = (records: CanonicalRecord[], attr: string) => records.filter((r) => r.attributes[attr] != null).length / records.length;

describe('dataset mappings', () => {
  it('finds the datasets folder (MDM_DATASETS, default ../shared/datasets)', () => {
    expect(() => requireDatasetsDir()).not.toThrow();
  });

  it('every mapping file parses and says what it loads', () => {
    const files = readdirSync(MAPPINGS_DIR).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const f of files) {
      const m = parseMapping(readFileSync(join(MAPPINGS_DIR, f), 'utf8'), f);
      expect(m.description?.length ?? 0, `${f} has a description`).toBeGreaterThan(40);
      expect(m.constants?.entity, f).toBeDefined();
    }
  });

  it('every dataset refers to a mapping in fixtures/mappings/', () => {
    for (const d of DATASETS) expect(() => loadMapping(d.mapping), d.name).not.toThrow();
  });

  // The first 50 rows of every file of every dataset: valid, the mapped source, no truth column.
  for (const d of DATASETS) {
    for (const f of d.files) {
      it(`${d.name}: the first 50 rows of ${f.path} are valid ${d.entity} records without truth columns`, async () => {
        const { records, failures } = await load(d, f, 50);
        expect(failures).toEqual([]);
        expect(records).toHaveLength(50);
        for (const r of records) {
          expect(r.entity).toBe(d.entity);
          expect(r.source).toBe(f.source);
          expect(r.sourceId).not.toBe('');
          for (const c of [...d.truthColumns, 'cluster', 'class', 'leuven_id']) expect(Object.keys(r.raw), `${r.sourceId}`).not.toContain(c);
        }
      });
    }
  }

  it('febrl: persons with names, ISO dates of birth, AU addresses and the rec_id as sourceId', async () => {
    const d = datasetByName('febrl3');
    const { records } = await load(d, d.files[0], 50);
    expect(records[0]).toMatchObject({
      sourceId: 'rec-1496-org',
      attributes: {
        kind: 'person', givenName: 'mitchell', familyName: 'green', houseNumber: '7', street: 'wallaby place',
        addressLine2: 'delmar', city: 'cleveland', postalCode: '2119', region: 'sa', dateOfBirth: '1956-04-09',
        nationalId: '1804974', country: 'AU',
      },
    });
    expect(share(records, 'givenName')).toBeGreaterThan(0.9);
    expect(share(records, 'familyName')).toBeGreaterThan(0.9);
    for (const r of records) {
      if (r.attributes.dateOfBirth != null) expect(r.attributes.dateOfBirth).toMatch(/^(19|20)\d\d-\d\d-\d\d$/);
      // no stray space from the ", " separator
      for (const v of Object.values(r.attributes)) if (typeof v === 'string') expect(v).toBe(v.trim());
    }
  });

  it('febrl: a date of birth that is not a calendar date is dropped, not quarantined, and kept as received', async () => {
    const d = datasetByName('febrl1');
    const { records, failures } = await load(d, d.files[0]);
    expect(failures).toEqual([]);
    const bad = records.filter((r) => r.raw.date_of_birth === '19371233');
    expect(bad).toHaveLength(1);
    expect(bad[0].attributes.dateOfBirth).toBeUndefined();
    expect(bad[0].attributes).toMatchObject({ givenName: 'sophie', familyName: 'lovelock' });
    expect(records[0]).toMatchObject({ sourceId: 'rec-223-org', attributes: { dateOfBirth: '1908-12-09', familyName: 'waller' } });
    expect(records[0].attributes.givenName).toBeUndefined(); // empty field: no attribute
  });

  it('fake_1000: names, dob, city, email; cluster never loaded', async () => {
    const d = datasetByName('fake_1000');
    const { records } = await load(d, d.files[0], 50);
    expect(records[0]).toMatchObject({
      source: 'fake_1000',
      sourceId: '0',
      attributes: { kind: 'person', givenName: 'Robert', familyName: 'Alan', dateOfBirth: '1971-06-24', email: 'robert255@smith.net' },
    });
    expect(Object.keys(records[0].raw).sort()).toEqual(['dateOfBirth', 'email', 'entity', 'familyName', 'givenName', 'kind', 'source', 'sourceId'].sort());
  });

  it('historical_50k: given/family name, dob, birth place as city, postcode; full_name and occupation as unknown fields', async () => {
    const d = datasetByName('historical_50k');
    const { records } = await load(d, d.files[0], 50);
    expect(records[0]).toMatchObject({
      sourceId: 'Q2296770-1',
      attributes: { kind: 'person', givenName: 'thomas', familyName: 'chudleigh', dateOfBirth: '1630-08-01', city: 'devon', postalCode: 'tq13 8df' },
      raw: { full_name: 'thomas clifford, 1st baron clifford of chudleigh', gender: 'male', occupation: 'politician' },
    });
    expect(records[0].attributes.name).toBeUndefined();
  });

  it('abt-buy and amazon-google: product names, descriptions, numeric prices', async () => {
    const ab = datasetByName('abt-buy');
    const abt = (await load(ab, ab.files[0], 50)).records;
    expect(abt[1].attributes).toMatchObject({ name: 'Bose Acoustimass 5 Series III Speaker System - AM53BK', price: 399 });
    expect(abt[0].attributes.price).toBeUndefined();
    expect(share(abt, 'description')).toBeGreaterThan(0.9);
    const ag = datasetByName('amazon-google');
    const amazon = (await load(ag, ag.files[0], 50)).records;
    expect(amazon[0].attributes).toMatchObject({ name: 'clickart 950 000 - premier image pack (dvd-rom)', manufacturer: 'broderbund' });
    expect(amazon[0].attributes.price).toBeUndefined(); // 0.0 = unknown
    const google = (await load(ag, ag.files[1], 50)).records;
    expect(google[0].attributes).toMatchObject({ name: 'learning quickbooks 2007', manufacturer: 'intuit', price: 38.99 });
    for (const r of [...amazon, ...google]) for (const v of Object.values(r.attributes)) if (typeof v === 'string') expect(v).not.toMatch(/\r/);
  });

  it('patstat: organization names, Lat/Lng/Coauthor/Class as unknown fields, no leuven_id', async () => {
    const d = datasetByName('patstat');
    const { records } = await load(d, d.files[0], 50);
    expect(records[0]).toMatchObject({ sourceId: '2909', attributes: { kind: 'organization', name: 'AGILENT TECHNOLOGIES' }, raw: { Lat: '0.0', Class: 'A61N**A61B' } });
  });

  it('fodors-zagats: unquoted names with their apostrophes, street, city, phone; class never loaded', async () => {
    const d = datasetByName('fodors-zagats');
    const fodors = (await load(d, d.files[0], 50)).records;
    expect(fodors[0].attributes).toMatchObject({ kind: 'organization', name: "arnie morton's of chicago", street: '435 s. la cienega blv.', city: 'los angeles', phone: '310/246-1501', country: 'US' });
    const zagats = (await load(d, d.files[1], 50)).records;
    expect(zagats[0].attributes).toMatchObject({ name: 'apple pan the', street: '10801 w. pico blvd.', city: 'west la' });
    expect(zagats[1].raw.cuisine).toBe('noodle shops');
  });

  // Whole files: every record must land (a quarantined record would count as a miss for the matcher).
  for (const d of DATASETS) {
    it(`${d.name}: every row of every file is a valid record`, async () => {
      for (const f of d.files) {
        const { records, failures } = await load(d, f);
        expect(failures.slice(0, 5), f.path).toEqual([]);
        expect(new Set(records.map((r) => r.sourceId)).size, `${f.path}: sourceIds unique`).toBe(records.length);
      }
    });
  }
});
