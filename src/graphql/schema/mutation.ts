import { builder } from '../builder';

/** The Mutation root. Its fields are declared in the files of the types they return. */
builder.mutationType({
  description:
    'Steward actions (the `steward` scope) and event subscriber administration (the `admin` scope). A key without the scope gets the `Forbidden` member of the result union (not an error). The actor recorded in the audit is the API key\'s name and id.',
});
