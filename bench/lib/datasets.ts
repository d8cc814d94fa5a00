/**
 * The labelled public datasets the matcher is measured on (bench:quality): where each file is,
 * which mapping loads it under which source name, and how its ground truth is read.
 *
 * Datasets are read in place from `MDM_DATASETS` (default `../shared/datasets`, relative to the
 * project root); they are never copied into the project. Truth maps a record key
 * `source|sourceId` (see `recordKey`) to its true entity id.
 *
 * @example
 * ```ts
 * const febrl3 = datasetByName('febrl3');
 * const truth = febrl3.loadTruth(datasetsDir()); // Map { 'febrl3|rec-1496-org' => '1496', ... }
 * ```
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { EntityType } from '../../src/core/entities';
import { recordKey, type Truth } from './evaluate';

/** The project root (two levels above this file). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The datasets folder: `MDM_DATASETS`, or `../shared/datasets` beside the project. */
export function datasetsDir(): string {
  return resolve(PROJECT_ROOT, process.env.MDM_DATASETS || '../shared/datasets');
}

/** Throws a clear error when the datasets folder is missing. */
export function requireDatasetsDir(): string {
  const dir = datasetsDir();
  if (!existsSync(dir)) {
    throw new Error(
      `datasets folder ${dir} not found: the labelled datasets are read in place from MDM_DATASETS ` +
        `(default ../shared/datasets relative to the project root); set MDM_DATASETS to where they are`,
    );
  }
  return dir;
}

export interface DatasetFile {
  /** Path relative to the datasets folder. */
  path: string;
  /** Source name given to `mdm ingest --source`. */
  source: string;
}

export interface Dataset {
  name: string;
  title: string;
  entity: EntityType;
  /** Mapping path relative to the project root. */
  mapping: string;
  files: DatasetFile[];
  /**
   * Linkage task: the truth labels pairs between files only, so pairs are counted across
   * sources only (a same-source pair is neither a true nor a predicted pair).
   */
  linkage: boolean;
  /** Pairwise F1 the hub aims at with shipped defaults. */
  goal?: number;
  /** A published figure for comparison. */
  reference?: string;
  /** Columns of the files that encode the truth and must never reach the hub. */
  truthColumns: string[];
  loadTruth(dir: string): Truth;
}

type Row = Record<string, string>;

function readCsv(file: string, options: { delimiter?: string; quote?: string | false; escape?: string; trim?: boolean } = {}): Row[] {
  return parse(readFileSync(file), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    delimiter: options.delimiter ?? ',',
    quote: options.quote ?? '"',
    escape: options.escape ?? '"',
    trim: options.trim ?? false,
  }) as Row[];
}

function column(rows: Row[], name: string, file: string): string[] {
  if (rows.length > 0 && !(name in rows[0])) throw new Error(`${file}: column ${name} not found (columns: ${Object.keys(rows[0]).join(', ')})`);
  return rows.map((r) => r[name]);
}

/** Union-find over string keys; each key's entity is the smallest key of its set. */
class UnionFind {
  private parent = new Map<string, string>();

  add(key: string): void {
    if (!this.parent.has(key)) this.parent.set(key, key);
  }

  find(key: string): string {
    this.add(key);
    let root = key;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    let k = key;
    while (k !== root) {
      const next = this.parent.get(k)!;
      this.parent.set(k, root);
      k = next;
    }
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
  }

  keys(): IterableIterator<string> {
    return this.parent.keys();
  }
}

const FEBRL_ID = /^rec-(\d+)-/;

/** Febrl: `rec-N-org` / `rec-N-dup-k`, all records with the same N are one entity. */
export function febrlTruth(dir: string, files: DatasetFile[]): Truth {
  const truth: Truth = new Map();
  for (const f of files) {
    const path = join(dir, f.path);
    for (const id of column(readCsv(path, { trim: true }), 'rec_id', path)) {
      const m = FEBRL_ID.exec(id);
      if (!m) throw new Error(`${path}: rec_id ${JSON.stringify(id)} does not encode an entity (rec-N-...)`);
      truth.set(recordKey(f.source, id), m[1]);
    }
  }
  return truth;
}

/** One file whose rows carry their entity in a column (Splink `cluster`). */
function columnTruth(dir: string, file: DatasetFile, idColumn: string, entityColumn: string): Truth {
  const path = join(dir, file.path);
  const rows = readCsv(path);
  const ids = column(rows, idColumn, path);
  const entities = column(rows, entityColumn, path);
  const truth: Truth = new Map();
  ids.forEach((id, i) => truth.set(recordKey(file.source, id), entities[i]));
  return truth;
}

/**
 * Two files and a file of matching id pairs (pyJedAI gt.csv, Fodors-Zagat matches): every record
 * of both files is in the truth; the pairs are joined into entities by union-find, so a record
 * matched to several records of the other file puts them all into one entity.
 */
export function pairTruth(
  dir: string,
  left: DatasetFile,
  right: DatasetFile,
  pairs: { path: string; left: string; right: string },
  csv: { delimiter?: string; quote?: string | false; escape?: string } = {},
): Truth {
  const uf = new UnionFind();
  for (const f of [left, right]) {
    const path = join(dir, f.path);
    for (const id of column(readCsv(path, csv), 'id', path)) uf.add(recordKey(f.source, id));
  }
  const known = new Set(uf.keys());
  const pairsPath = join(dir, pairs.path);
  const rows = readCsv(pairsPath, { delimiter: csv.delimiter });
  const l = column(rows, pairs.left, pairsPath);
  const r = column(rows, pairs.right, pairsPath);
  l.forEach((a, i) => {
    const ka = recordKey(left.source, a);
    const kb = recordKey(right.source, r[i]);
    if (!known.has(ka)) throw new Error(`${pairsPath}: ${pairs.left} ${a} is not an id of ${left.path}`);
    if (!known.has(kb)) throw new Error(`${pairsPath}: ${pairs.right} ${r[i]} is not an id of ${right.path}`);
    uf.union(ka, kb);
  });
  const truth: Truth = new Map();
  for (const k of known) truth.set(k, uf.find(k));
  return truth;
}

/** PATSTAT: `leuven_id` of patstat_reference.csv, joined on person_id. */
export function patstatTruth(dir: string, file: DatasetFile): Truth {
  const input = join(dir, file.path);
  const refPath = join(dir, 'dedupe-patstat-companies/patstat_reference.csv');
  const ref = readCsv(refPath);
  const leuven = new Map<string, string>();
  const pid = column(ref, 'person_id', refPath);
  const lid = column(ref, 'leuven_id', refPath);
  pid.forEach((p, i) => leuven.set(p, lid[i]));
  const truth: Truth = new Map();
  for (const p of column(readCsv(input), 'person_id', input)) {
    const l = leuven.get(p);
    if (l === undefined) throw new Error(`${refPath}: person_id ${p} of ${file.path} has no leuven_id`);
    truth.set(recordKey(file.source, p), l);
  }
  return truth;
}

const febrl = (linkage = false): Pick<Dataset, 'entity' | 'mapping' | 'truthColumns' | 'linkage'> => ({
  entity: 'customer',
  mapping: 'fixtures/mappings/febrl.mapping.json',
  truthColumns: [],
  linkage,
});

export const DATASETS: Dataset[] = [
  {
    name: 'febrl1',
    title: 'Febrl dataset1 (dedupe)',
    ...febrl(),
    files: [{ path: 'febrl/dataset1.csv', source: 'febrl1' }],
    loadTruth(dir) {
      return febrlTruth(dir, this.files);
    },
  },
  {
    name: 'febrl2',
    title: 'Febrl dataset2 (dedupe)',
    ...febrl(),
    files: [{ path: 'febrl/dataset2.csv', source: 'febrl2' }],
    loadTruth(dir) {
      return febrlTruth(dir, this.files);
    },
  },
  {
    name: 'febrl3',
    title: 'Febrl dataset3 (dedupe)',
    ...febrl(),
    files: [{ path: 'febrl/dataset3.csv', source: 'febrl3' }],
    goal: 0.999,
    reference: 'recordlinkage ECM p>=0.9: 0.9999; Splink (label-picked threshold): 0.995',
    loadTruth(dir) {
      return febrlTruth(dir, this.files);
    },
  },
  {
    name: 'febrl4',
    title: 'Febrl dataset4a x 4b (linkage)',
    ...febrl(true),
    files: [
      { path: 'febrl/dataset4a.csv', source: 'febrl4a' },
      { path: 'febrl/dataset4b.csv', source: 'febrl4b' },
    ],
    goal: 0.9996,
    reference: 'recordlinkage ECM p>=0.9: 0.9995; Splink (label-picked threshold): 0.9998',
    loadTruth(dir) {
      return febrlTruth(dir, this.files);
    },
  },
  {
    name: 'fake_1000',
    title: 'Splink fake_1000 (dedupe)',
    entity: 'customer',
    mapping: 'fixtures/mappings/splink-fake-1000.mapping.json',
    files: [{ path: 'splink/fake_1000.csv', source: 'fake_1000' }],
    linkage: false,
    truthColumns: ['cluster'],
    goal: 0.88,
    reference: 'Splink tutorial: 0.862',
    loadTruth(dir) {
      return columnTruth(dir, this.files[0], 'unique_id', 'cluster');
    },
  },
  {
    name: 'historical_50k',
    title: 'Splink historical_50k (dedupe)',
    entity: 'customer',
    mapping: 'fixtures/mappings/splink-historical-50k.mapping.json',
    files: [{ path: 'splink/historical_figures_with_errors_50k.csv', source: 'historical_50k' }],
    linkage: false,
    truthColumns: ['cluster'],
    goal: 0.8,
    reference: 'hand-tuned Splink: 0.757',
    loadTruth(dir) {
      return columnTruth(dir, this.files[0], 'unique_id', 'cluster');
    },
  },
  {
    name: 'abt-buy',
    title: 'Abt-Buy, pyJedAI D2 (linkage)',
    entity: 'product',
    mapping: 'fixtures/mappings/abt-buy.mapping.json',
    files: [
      { path: 'abt-buy/jedai/abt.csv', source: 'abt' },
      { path: 'abt-buy/jedai/buy.csv', source: 'buy' },
    ],
    linkage: true,
    truthColumns: [],
    goal: 0.85,
    reference: 'pyJedAI (tuned on labels): 0.947',
    loadTruth(dir) {
      return pairTruth(dir, this.files[0], this.files[1], { path: 'abt-buy/jedai/gt.csv', left: 'D1', right: 'D2' }, { delimiter: '|', quote: false });
    },
  },
  {
    name: 'amazon-google',
    title: 'Amazon-Google, pyJedAI D3 (linkage)',
    entity: 'product',
    mapping: 'fixtures/mappings/amazon-google.mapping.json',
    files: [
      { path: 'amazon-google/jedai/amazon.csv', source: 'amazon' },
      { path: 'amazon-google/jedai/gp.csv', source: 'google' },
    ],
    linkage: true,
    truthColumns: [],
    goal: 0.65,
    reference: 'pyJedAI: 0.625',
    loadTruth(dir) {
      return pairTruth(dir, this.files[0], this.files[1], { path: 'amazon-google/jedai/gt.csv', left: 'D1', right: 'D2' }, { delimiter: '#', quote: false });
    },
  },
  {
    name: 'patstat',
    title: 'PATSTAT Dutch applicants (dedupe)',
    entity: 'customer',
    mapping: 'fixtures/mappings/patstat.mapping.json',
    files: [{ path: 'dedupe-patstat-companies/patstat_input.csv', source: 'patstat' }],
    linkage: false,
    truthColumns: ['leuven_id', 'person_name'],
    loadTruth(dir) {
      return patstatTruth(dir, this.files[0]);
    },
  },
  {
    name: 'fodors-zagats',
    title: 'Fodors-Zagat restaurants (linkage)',
    entity: 'customer',
    mapping: 'fixtures/mappings/fodors-zagats.mapping.json',
    files: [
      { path: 'fodors-zagats/fodors.csv', source: 'fodors' },
      { path: 'fodors-zagats/zagats.csv', source: 'zagats' },
    ],
    linkage: true,
    truthColumns: ['class'],
    loadTruth(dir) {
      return pairTruth(dir, this.files[0], this.files[1], { path: 'fodors-zagats/matches_fodors_zagats.csv', left: 'fodors_id', right: 'zagats_id' }, { quote: "'", escape: '\\' });
    },
  },
];

export function datasetByName(name: string): Dataset {
  const d = DATASETS.find((x) => x.name === name);
  if (!d) throw new Error(`unknown dataset ${name} (known: ${DATASETS.map((x) => x.name).join(', ')})`);
  return d;
}

/**
 * Truth of the synthetic world: `truth.csv` (`entity,source,sourceId,trueId`) per entity type,
 * leaving out records whose final state in `records.jsonl` is deleted (the hub detaches those
 * from their golden records).
 */
export function syntheticTruth(truthCsv: string, deletedKeys: ReadonlySet<string> = new Set()): Map<string, Truth> {
  const rows = readCsv(truthCsv);
  const byEntity = new Map<string, Truth>();
  for (const r of rows) {
    if (deletedKeys.has(`${r.entity}|${recordKey(r.source, r.sourceId)}`)) continue;
    let t = byEntity.get(r.entity);
    if (!t) byEntity.set(r.entity, (t = new Map()));
    t.set(recordKey(r.source, r.sourceId), r.trueId);
  }
  return byEntity;
}

/** Keys `entity|source|sourceId` of the records whose last version in a JSONL file is deleted (streamed). */
export async function deletedKeysOf(recordsJsonl: string): Promise<Set<string>> {
  const last = new Map<string, boolean>();
  const lines = createInterface({ input: createReadStream(recordsJsonl), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as { entity: string; source: string; sourceId: string; deleted?: boolean };
    const key = `${r.entity}|${recordKey(r.source, r.sourceId)}`;
    if (r.deleted === true) last.set(key, true);
    else if (last.has(key)) last.delete(key);
  }
  return new Set(last.keys());
}
