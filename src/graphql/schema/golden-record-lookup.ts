import { builder } from '../builder';
import { limitExceeded } from '../errors';
import type { GoldenLookup } from '../lookup';
import { recordAsOf } from '../as-of';
import { GoldenRecordRef } from './golden-record';

/** The answer to "what is golden id X now": the record, and whether X was redirected to it. */
export const GoldenRecordLookupRef = builder.objectRef<GoldenLookup>('GoldenRecordLookup').implement({
  description:
    'A golden id looked up. A merged-away id resolves to the surviving record: `redirected` is true and `record.id` differs from `requestedId`.',
  fields: (t) => ({
    requestedId: t.exposeID('requestedId'),
    redirected: t.exposeBoolean('redirected', { description: 'True when requestedId was merged into record.id.' }),
    record: t.field({ type: GoldenRecordRef, resolve: (l) => l.record }),
  }),
});

builder.queryFields((t) => ({
  goldenRecord: t.field({
    type: GoldenRecordLookupRef,
    nullable: true,
    description: 'A golden record by id, following merges to the survivor; null when the id was never issued.',
    authScopes: { read: true },
    args: {
      id: t.arg.id({ required: true }),
      asOf: t.arg({
        type: 'DateTime',
        required: false,
        description:
          'The state at this time (golden_history): version, status, attributes and cross-references as they were; a merge that had happened by then is followed. Null when the id did not exist yet.',
      }),
    },
    resolve: (_root, args, context) => (args.asOf ? recordAsOf(context, String(args.id), args.asOf) : context.lookup(String(args.id))),
  }),

  goldenRecords: t.field({
    type: [GoldenRecordLookupRef],
    nullable: { list: false, items: true },
    description:
      'Many golden records by id in one call, in the order asked (null for unknown ids). At most the configured batch size (default 500) ids.',
    authScopes: { read: true },
    args: { ids: t.arg.idList({ required: true }) },
    complexity: (args) => ({ field: 1, multiplier: Math.max(1, args.ids.length) }),
    resolve: (_root, args, context) => {
      const max = context.config.maxBatchSize;
      if (args.ids.length > max) {
        throw limitExceeded('batchSize', max, args.ids.length, `goldenRecords takes at most ${max} ids (got ${args.ids.length}); split the batch`);
      }
      return Promise.all(args.ids.map((id) => context.lookup(String(id))));
    },
  }),
}));
