import { builder } from '../builder';

/** The Query root. Its fields are declared in the files of the types they return. */
builder.queryType({
  description: 'Reads of golden records and cross-references. Every field needs an API key with the `read` scope.',
});
