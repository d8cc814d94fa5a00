import { ENTITY_TYPES, type EntityType } from '../../core/entities';
import { builder } from '../builder';

const NAMES: Record<EntityType, string> = {
  customer: 'CUSTOMER',
  product: 'PRODUCT',
  serial: 'SERIAL',
  asset: 'ASSET',
  contract: 'CONTRACT',
  location: 'LOCATION',
};

/** The six entity types; the internal value is the canonical-record `entity` string. */
export const EntityTypeEnum = builder.enumType('EntityType', {
  description: 'The kind of real-world thing a record describes (canonical-record `entity`).',
  values: Object.fromEntries(ENTITY_TYPES.map((e) => [NAMES[e], { value: e }])) as Record<string, { value: EntityType }>,
});

export const GoldenRecordStatusEnum = builder.enumType('GoldenRecordStatus', {
  values: {
    ACTIVE: { value: 'active', description: 'The current golden record of its cluster.' },
    MERGED: { value: 'merged', description: 'Merged into another golden record; its id redirects there.' },
    RETIRED: { value: 'retired', description: 'No source record is attached any more.' },
  } as const,
});
