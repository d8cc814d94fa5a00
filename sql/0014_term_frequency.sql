-- How often each value of a match model's frequency tables occurs among all records of its entity
-- type, as the last full run counted it (values occurring at least twice; any other value counts
-- once). Real-time and incremental resolution read the counts of their neighbourhood's values
-- here, so that agreeing on a common name, city or customer weighs what it weighs in a batch run
-- rather than what it would among the few records of a neighbourhood.
CREATE TABLE term_frequency (
  model text    NOT NULL,  -- match model name, e.g. customer-organization
  key   text    NOT NULL,  -- prepared field (term frequencies) or df:<field> (document frequencies of tokens)
  value text    NOT NULL,
  count integer NOT NULL CHECK (count >= 2),
  PRIMARY KEY (model, key, value)
);
