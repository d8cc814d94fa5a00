import { resolveArrayConnection } from '@pothos/plugin-relay';
import { builder } from '../builder';
import type { GraphqlContext } from '../context';
import type { GoldenRecordRow } from '../golden-record.reader';
import { linkKey } from '../loaders';
import { checkPageSize } from '../paging';
import { plainValue } from '../pii';
import { ENTITY_OBJECT_REFS } from './entity-records';

/*
 * Relationships between golden records, both ways, read through the view golden_link (references
 * between source records resolved through cross-references, so they follow merges and splits).
 * Relations: customer (asset, contract, location -> customer), product (serial, asset -> product),
 * location (asset -> location), parent (customer -> customer), asset (contract -> assets).
 * Every read goes through the request's dataloaders: one query per relation and nesting level.
 */

const { Customer, Product, SerialUnit, InstalledAsset, Contract, Location } = ENTITY_OBJECT_REFS;

async function records(context: GraphqlContext, ids: readonly string[]): Promise<GoldenRecordRow[]> {
  const rows = await context.loaders.goldenRecord.loadMany(ids);
  return rows.filter((r): r is GoldenRecordRow => r !== null && !(r instanceof Error) && r.status === 'active');
}

const outgoing = (context: GraphqlContext, r: GoldenRecordRow, relation: string) => context.loaders.outgoing.load(linkKey(r.id, relation));
const incoming = (context: GraphqlContext, r: GoldenRecordRow, relation: string, fromEntity: string) =>
  context.loaders.incoming.load(linkKey(r.id, relation, fromEntity));

async function one(context: GraphqlContext, r: GoldenRecordRow, relation: string): Promise<GoldenRecordRow | null> {
  return (await records(context, await outgoing(context, r, relation)))[0] ?? null;
}

const InstalledAssetConnection = builder.connectionObject({ type: InstalledAsset, name: 'InstalledAssetConnection' }, { name: 'InstalledAssetEdge' });

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type Ref = (typeof ENTITY_OBJECT_REFS)[keyof typeof ENTITY_OBJECT_REFS];

/** A Relay connection over linked golden records (offset cursors; the ids are loaded in one batch). */
function linkConnection(
  t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, GoldenRecordRow>,
  type: Ref,
  connection: typeof InstalledAssetConnection,
  description: string,
  ids: (r: GoldenRecordRow, context: GraphqlContext) => Promise<string[]>,
) {
  return t.connection(
    {
      type,
      description,
      authScopes: { read: true },
      // `edges` is a list and already multiplies its selection by 10: together they cost the page size.
      complexity: (args, context) => ({ field: 1, multiplier: Math.max(1, Math.ceil((args.first ?? args.last ?? context.config.defaultPageSize) / 10)) }),
      resolve: async (r, args, context) => {
        checkPageSize(args, context.config);
        const all = await ids(r, context);
        const page = resolveArrayConnection({ args, defaultSize: context.config.defaultPageSize, maxSize: context.config.maxPageSize }, all);
        const nodes = new Map((await records(context, page.edges.map((e) => e!.node))).map((n) => [n.id, n]));
        return {
          ...page,
          edges: page.edges.filter((e) => nodes.has(e!.node)).map((e) => ({ cursor: e!.cursor, node: nodes.get(e!.node)! })),
        };
      },
    },
    connection,
  );
}

builder.objectFields(Customer, (t) => ({
  installedAssets: linkConnection(
    t,
    InstalledAsset,
    InstalledAssetConnection,
    'Installed assets this customer owns (the assets\' customerRef), in golden-id order.',
    (r, context) => incoming(context, r, 'customer', 'asset'),
  ),
  contracts: t.field({
    type: [Contract],
    description: 'Contracts of this customer (the contracts\' customerRef).',
    authScopes: { read: true },
    resolve: async (r, _args, context) => records(context, await incoming(context, r, 'customer', 'contract')),
  }),
  locations: t.field({
    type: [Location],
    description: 'Sites of this customer (the locations\' customerRef).',
    authScopes: { read: true },
    resolve: async (r, _args, context) => records(context, await incoming(context, r, 'customer', 'location')),
  }),
  parent: t.field({
    type: Customer,
    nullable: true,
    description: 'The parent organization (parentRef).',
    authScopes: { read: true },
    resolve: (r, _args, context) => one(context, r, 'parent'),
  }),
  subsidiaries: t.field({
    type: [Customer],
    description: 'Customers whose parent this customer is.',
    authScopes: { read: true },
    resolve: async (r, _args, context) => records(context, await incoming(context, r, 'parent', 'customer')),
  }),
}));

builder.objectFields(Product, (t) => ({
  serialUnits: t.field({
    type: [SerialUnit],
    description: 'Serial units issued for this product (their productRef).',
    authScopes: { read: true },
    resolve: async (r, _args, context) => records(context, await incoming(context, r, 'product', 'serial')),
  }),
  installedAssets: linkConnection(
    t,
    InstalledAsset,
    InstalledAssetConnection,
    'Installed assets of this product (their productRef), in golden-id order.',
    (r, context) => incoming(context, r, 'product', 'asset'),
  ),
}));

/** The serial number of a golden record (asset or serial unit), or null. */
async function serialNumberOf(r: GoldenRecordRow, context: GraphqlContext): Promise<string | null> {
  const attributes = r.attributes ?? (await context.loaders.provisionalAttributes.load(r.id));
  const value = plainValue(attributes.serialNumber);
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

builder.objectFields(SerialUnit, (t) => ({
  product: t.field({
    type: Product,
    nullable: true,
    description: 'The product this unit is of (productRef).',
    authScopes: { read: true },
    resolve: (r, _args, context) => one(context, r, 'product'),
  }),
  installedAssets: t.field({
    type: [InstalledAsset],
    description: 'Installed assets carrying this serial number (matched by the normalized, OCR-folded serial; see docs/graphql.md).',
    authScopes: { read: true },
    resolve: async (r, _args, context) => {
      const serial = await serialNumberOf(r, context);
      return serial ? records(context, await context.loaders.assetsBySerial.load(serial)) : [];
    },
  }),
}));

builder.objectFields(InstalledAsset, (t) => ({
  owner: t.field({
    type: Customer,
    nullable: true,
    description: 'The customer that owns the asset (customerRef).',
    authScopes: { read: true },
    resolve: (r, _args, context) => one(context, r, 'customer'),
  }),
  product: t.field({
    type: Product,
    nullable: true,
    description: 'The product installed (productRef).',
    authScopes: { read: true },
    resolve: (r, _args, context) => one(context, r, 'product'),
  }),
  location: t.field({
    type: Location,
    nullable: true,
    description: 'The site where it is installed (locationRef).',
    authScopes: { read: true },
    resolve: (r, _args, context) => one(context, r, 'location'),
  }),
  serialUnit: t.field({
    type: SerialUnit,
    nullable: true,
    description:
      'The serial unit with the same serial number: assets do not reference serial units, so the hub matches the normalized, OCR-folded serial numbers (sql/0006 mdm_serial_key). When several units match, the one of the same product wins, then the lowest golden id. Null when none matches.',
    authScopes: { read: true },
    resolve: async (r, _args, context) => {
      const serial = await serialNumberOf(r, context);
      if (!serial) return null;
      const units = await records(context, await context.loaders.serialUnitsBySerial.load(serial));
      if (units.length <= 1) return units[0] ?? null;
      const product = (await outgoing(context, r, 'product'))[0];
      const products = await Promise.all(units.map((u) => outgoing(context, u, 'product')));
      return units.find((_, i) => product !== undefined && products[i].includes(product)) ?? units[0];
    },
  }),
  contracts: t.field({
    type: [Contract],
    description: 'Contracts that cover this asset (the contracts\' assetRefs).',
    authScopes: { read: true },
    resolve: async (r, _args, context) => records(context, await incoming(context, r, 'asset', 'contract')),
  }),
}));

builder.objectFields(Contract, (t) => ({
  customer: t.field({
    type: Customer,
    nullable: true,
    description: 'The contract holder (customerRef).',
    authScopes: { read: true },
    resolve: (r, _args, context) => one(context, r, 'customer'),
  }),
  coveredAssets: t.field({
    type: [InstalledAsset],
    description: 'The installed assets the contract covers (assetRefs).',
    authScopes: { read: true },
    resolve: async (r, _args, context) => records(context, await outgoing(context, r, 'asset')),
  }),
}));

builder.objectFields(Location, (t) => ({
  customer: t.field({
    type: Customer,
    nullable: true,
    description: 'The customer this site belongs to (customerRef).',
    authScopes: { read: true },
    resolve: (r, _args, context) => one(context, r, 'customer'),
  }),
  installedAssets: t.field({
    type: [InstalledAsset],
    description: 'Assets installed at this site (their locationRef).',
    authScopes: { read: true },
    resolve: async (r, _args, context) => records(context, await incoming(context, r, 'location', 'asset')),
  }),
}));
