import { builder } from '../builder';
import type { CrossReferenceRow } from '../golden-record.reader';
import { EntityTypeEnum } from './entity-type';

/** A source record's key and the golden record it is attached to. */
export const CrossReferenceRef = builder.objectRef<CrossReferenceRow>('CrossReference').implement({
  description: 'A source system id and the golden record it resolves to.',
  fields: (t) => ({
    entity: t.field({ type: EntityTypeEnum, resolve: (x) => x.entity as never }),
    source: t.exposeString('source', { description: 'Source system name, e.g. erp, crm, fsm.' }),
    sourceId: t.exposeString('sourceId', { description: 'The id inside the source system.' }),
    goldenId: t.exposeID('goldenId'),
    attachedAt: t.field({ type: 'DateTime', description: 'When this source record was attached to its golden record.', resolve: (x) => x.attachedAt }),
  }),
});
