import type { GoldenRecordRow } from '../golden-record.reader';
import { builder } from '../builder';
import { GoldenRecordRef } from './golden-record';

/**
 * One object type per entity type, each a `GoldenRecord`. They share the interface's fields for
 * now; relationships (customer -> assets -> contracts) are added in relationships.ts.
 */
const DESCRIPTIONS = {
  Customer: 'A B2B account, dealer or consumer (organization or person).',
  Product: 'A sellable product or spare part.',
  SerialUnit: 'A serial number issued for one unit of a product.',
  InstalledAsset: 'A unit installed at a customer site.',
  Contract: 'A service contract or warranty.',
  Location: 'A site, plant, depot or ship-to address.',
} as const;

const ENTITY_BY_TYPE = {
  Customer: 'customer',
  Product: 'product',
  SerialUnit: 'serial',
  InstalledAsset: 'asset',
  Contract: 'contract',
  Location: 'location',
} as const;

type TypeName = keyof typeof DESCRIPTIONS;

/** The object type of each entity type; relationship fields are added to them in relationships.ts. */
export const ENTITY_OBJECT_REFS = Object.fromEntries(
  (Object.keys(DESCRIPTIONS) as TypeName[]).map((name) => [name, builder.objectRef<GoldenRecordRow>(name)]),
) as Record<TypeName, ReturnType<typeof builder.objectRef<GoldenRecordRow>>>;

for (const [name, description] of Object.entries(DESCRIPTIONS) as Array<[TypeName, string]>) {
  builder.objectType(ENTITY_OBJECT_REFS[name], {
    description,
    interfaces: [GoldenRecordRef],
    isTypeOf: (value) => (value as GoldenRecordRow).entity === ENTITY_BY_TYPE[name],
    fields: () => ({}),
  });
}
