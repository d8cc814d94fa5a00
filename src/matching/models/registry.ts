import type { EntityType } from '../../core/entities';
import { parseModel, type MatchModel } from '../model/schema';
import { customerKind } from '../prepare/customer-kind';
import type { RareTokenField } from '../prepare/token-rarity';
import asset from './asset.json' with { type: 'json' };
import contract from './contract.json' with { type: 'json' };
import customerOrganization from './customer-organization.json' with { type: 'json' };
import customerPerson from './customer-person.json' with { type: 'json' };
import location from './location.json' with { type: 'json' };
import product from './product.json' with { type: 'json' };
import serial from './serial.json' with { type: 'json' };

/**
 * A shipped model and the records it applies to. Records of one entity type are split between
 * its models by `applies` (first model that applies wins); records under different models are
 * never compared.
 */
export interface ModelEntry {
  name: string;
  model: MatchModel;
  applies(attributes: Readonly<Record<string, unknown>>): boolean;
  /** Corpus-level fields the model reads, derived over the records being resolved. */
  rareTokens?: readonly RareTokenField[];
  /**
   * Share of the records of one source that have their match in another, `overlap[x][y]` by source
   * name, as the last full run estimated it (`ModelRun.overlap`). Given, it is used instead of an
   * estimate from the records at hand (real-time and incremental resolution see too few records).
   */
  overlap?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /**
   * Records with a value per term- and document-frequency table (by table key: the field, or
   * `df:<field>`), as the last full run counted them (`ModelRun.termFrequencyTotals`). Given, a
   * real-time or incremental neighbourhood counts its values against these totals: a value every
   * record of the neighbourhood shares (their customer, their location) keeps the rarity it has
   * among all records instead of looking as common as it is among a few.
   */
  termFrequencyTotals?: Readonly<Record<string, number>>;
}

const always = () => true;

const MODELS: Readonly<Record<EntityType, readonly ModelEntry[]>> = {
  customer: [
    {
      name: 'customer-organization',
      model: parseModel(customerOrganization),
      applies: (attributes) => customerKind(attributes) === 'organization',
    },
    {
      name: 'customer-person',
      model: parseModel(customerPerson),
      applies: (attributes) => customerKind(attributes) === 'person',
    },
  ],
  product: [
    {
      name: 'product',
      model: parseModel(product),
      applies: always,
      rareTokens: [
        { from: 'nameTokens', to: 'nameRare', maxShare: 0.01, minCount: 2 },
        // Codes at most 3 records carry (or 0.1% of them): one product and its copies.
        { from: 'modelNumbers', to: 'modelRare', maxShare: 0.001, minCount: 3 },
        // The same for codes of 6 characters or more, which unrelated products share even less.
        { from: 'modelNumbersLong', to: 'modelRareLong', maxShare: 0.001, minCount: 3 },
      ],
    },
  ],
  serial: [{ name: 'serial', model: parseModel(serial), applies: always }],
  asset: [{ name: 'asset', model: parseModel(asset), applies: always }],
  contract: [{ name: 'contract', model: parseModel(contract), applies: always }],
  location: [{ name: 'location', model: parseModel(location), applies: always }],
};

/**
 * The default models of an entity type, validated against the model schema. Customers have two:
 * organizations and persons (picked by `kind`, see `customerKind`).
 *
 * @example
 * ```ts
 * const [org, person] = modelsFor('customer');
 * person.applies({ kind: 'person', givenName: 'Anna' }) // true
 * ```
 */
export function modelsFor(entity: EntityType): readonly ModelEntry[] {
  return MODELS[entity];
}

/**
 * The model entry that applies to a record's attributes, or undefined when none does.
 *
 * @example
 * ```ts
 * modelFor(modelsFor('customer'), { name: 'Acme GmbH' })?.name // 'customer-organization'
 * ```
 */
export function modelFor(entries: readonly ModelEntry[], attributes: Readonly<Record<string, unknown>>): ModelEntry | undefined {
  return entries.find((entry) => entry.applies(attributes));
}
