import { builder } from '../builder';
import type { GraphqlContext } from '../context';
import { contractCovers, type CoverageVerdict } from '../entitlement';
import { badUserInput } from '../errors';
import type { GoldenRecordRow } from '../golden-record.reader';
import { linkKey } from '../loaders';
import { ENTITY_OBJECT_REFS } from './entity-records';

const { Customer, SerialUnit, InstalledAsset, Contract } = ENTITY_OBJECT_REFS;

interface Coverage extends CoverageVerdict {
  contract: GoldenRecordRow;
  asset: GoldenRecordRow;
}

interface Entitlement {
  serialNumber: string;
  date: string;
  assets: GoldenRecordRow[];
  serialUnits: GoldenRecordRow[];
  coverages: Coverage[];
}

async function active(context: GraphqlContext, ids: readonly string[]): Promise<GoldenRecordRow[]> {
  const rows = await context.loaders.goldenRecord.loadMany(ids);
  return rows.filter((r): r is GoldenRecordRow => r !== null && !(r instanceof Error) && r.status === 'active');
}

async function attributesOf(context: GraphqlContext, r: GoldenRecordRow): Promise<Record<string, unknown>> {
  return r.attributes ?? (await context.loaders.provisionalAttributes.load(r.id));
}

const CoverageRef = builder.objectRef<Coverage>('Coverage').implement({
  description: 'A contract that covers an installed asset with the serial number, and whether it is in force on the date.',
  fields: (t) => ({
    active: t.exposeBoolean('active', { description: 'In force on the date: started, not ended, status not cancelled/terminated/expired/....' }),
    reason: t.exposeString('reason', { description: 'Why, in words: "active until 2027-12-31", "ended on 2023-12-31", "status is cancelled".' }),
    contract: t.field({ type: Contract, resolve: (c) => c.contract }),
    asset: t.field({ type: InstalledAsset, resolve: (c) => c.asset }),
    customer: t.field({
      type: Customer,
      nullable: true,
      description: 'The contract holder (customerRef), else the asset owner.',
      resolve: async (c, _args, context) => {
        const ids = await context.loaders.outgoing.load(linkKey(c.contract.id, 'customer'));
        const owner = ids.length > 0 ? ids : await context.loaders.outgoing.load(linkKey(c.asset.id, 'customer'));
        return (await active(context, owner))[0] ?? null;
      },
    }),
    startDate: t.exposeString('startDate', { nullable: true }),
    endDate: t.exposeString('endDate', { nullable: true }),
    status: t.exposeString('status', { nullable: true }),
    serviceLevel: t.exposeString('serviceLevel', { nullable: true }),
  }),
});

const EntitlementRef = builder.objectRef<Entitlement>('Entitlement').implement({
  description: 'Whether a serial number is covered by a contract in force on a date.',
  fields: (t) => ({
    serialNumber: t.exposeString('serialNumber'),
    date: t.exposeString('date', { description: 'The day checked (YYYY-MM-DD).' }),
    entitled: t.boolean({ description: 'True when at least one coverage is active.', resolve: (e) => e.coverages.some((c) => c.active) }),
    activeCoverages: t.field({ type: [CoverageRef], description: 'The coverages in force on the date.', resolve: (e) => e.coverages.filter((c) => c.active) }),
    coverages: t.field({ type: [CoverageRef], description: 'Every contract covering an asset with the serial number, in force or not.', resolve: (e) => e.coverages }),
    assets: t.field({ type: [InstalledAsset], description: 'Installed assets with the serial number.', resolve: (e) => e.assets }),
    serialUnits: t.field({ type: [SerialUnit], description: 'Serial units with the serial number.', resolve: (e) => e.serialUnits }),
  }),
});

builder.queryFields((t) => ({
  entitlement: t.field({
    type: EntitlementRef,
    description:
      'Is this serial number covered by a contract in force on the date? Serial numbers are matched normalized and OCR-folded ("SN 00A7-4411" = "00A74411"), through the installed assets that carry them and the contracts that cover those assets (assetRefs).',
    authScopes: { read: true },
    args: {
      serialNumber: t.arg.string({ required: true }),
      date: t.arg.string({ required: false, description: 'The day to check, YYYY-MM-DD (default: today, UTC).' }),
    },
    resolve: async (_root, args, context) => {
      const date = args.date ?? new Date().toISOString().slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
        throw badUserInput(`date "${date}" is not a day (expected YYYY-MM-DD)`, 'date');
      }
      const serialNumber = args.serialNumber.trim();
      if (serialNumber === '') throw badUserInput('serialNumber is empty', 'serialNumber');
      const [assets, serialUnits] = await Promise.all([
        context.loaders.assetsBySerial.load(serialNumber).then((ids) => active(context, ids)),
        context.loaders.serialUnitsBySerial.load(serialNumber).then((ids) => active(context, ids)),
      ]);
      const perAsset = await Promise.all(
        assets.map(async (asset) => {
          const contracts = await active(context, await context.loaders.incoming.load(linkKey(asset.id, 'asset', 'contract')));
          return Promise.all(contracts.map(async (contract) => ({ contract, asset, ...contractCovers(await attributesOf(context, contract), date) })));
        }),
      );
      const coverages = perAsset.flat().sort((a, b) => Number(b.active) - Number(a.active) || (b.endDate ?? '9999').localeCompare(a.endDate ?? '9999') || a.contract.id.localeCompare(b.contract.id));
      return { serialNumber, date, assets, serialUnits, coverages };
    },
  }),
}));
