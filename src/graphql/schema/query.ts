import { builder } from '../builder';

/** The Query root. Its fields are declared in the files of the types they return. */
builder.queryType({
  description: 'Reads of golden records, cross-references, relationships, history, entitlements, merge previews, the match queue and event subscribers. Every field needs an API key with the `read` scope; matchQueue and mergePreviewForPair need `steward`, subscribers and deadLetters `admin`.',
});
