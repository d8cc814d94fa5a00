-- Reads of the GraphQL API: match keys for the real-time duplicate probe (matchCandidates),
-- serial-number lookups (InstalledAsset.serialUnit, entitlement), history and change feeds.

-- Match keys computed in SQL from source attributes. The probe applies the same function to its
-- own value, so both sides fold the same way; candidates are then scored with the real model.

-- Identifiers (VAT ids, part numbers, contract numbers, postal codes): letters and digits, upper case.
CREATE FUNCTION mdm_ident_key(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN NULLIF(upper(regexp_replace(value, '[^A-Za-z0-9]', '', 'g')), '');

-- Numeric identifiers (DUNS, GTIN, GLN): digits, leading zeros dropped (GTIN-13 = GTIN-14 with a 0).
CREATE FUNCTION mdm_digits_key(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN NULLIF(ltrim(regexp_replace(value, '[^0-9]', '', 'g'), '0'), '');

-- Phones: the last 8 digits (country and trunk prefixes are written in many ways).
CREATE FUNCTION mdm_phone_key(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN NULLIF(right(regexp_replace(value, '[^0-9]', '', 'g'), 8), '');

CREATE FUNCTION mdm_email_key(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN NULLIF(lower(btrim(value)), '');

-- The first three letters of a name, umlauts and accents folded ("Krüger" and "Krueger" -> "kru").
CREATE FUNCTION mdm_name_prefix(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN NULLIF(left(regexp_replace(translate(lower(value), 'äöüßáàâãåéèêëíìîïóòôõúùûñçøæ', 'aousaaaaaeeeeiiiioooouuuncoa'), '[^a-z]', '', 'g'), 3), '');

-- Serial numbers as the matching layer's OCR key (src/matching/prepare/serial-key.ts): label
-- prefixes ("SN", "S/N", "Serial No.") and separators removed, OCR-confusable characters folded
-- (0/O/D/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B), a glued "SN" and leading zeros dropped.
CREATE FUNCTION mdm_serial_key(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN NULLIF(ltrim(regexp_replace(translate(regexp_replace(regexp_replace(upper(btrim(value)),
      '^(SERIAL\s*(NUMBER|NO|NR|NUM)?|SER(\s*(NO|NR))?|S/N|SNR|SN|SERIENNUMMER|SERIENNR|FABRIKNUMMER|FABRIKNR|FNR|#)[\s.:#/_-]*', ''),
      '[^A-Z0-9]', '', 'g'), 'ODQILZSGB', '000112568'), '^5N', ''), '0'), '');

CREATE INDEX source_record_key_tax_id ON source_record (entity, mdm_ident_key(attributes->>'taxId'));
CREATE INDEX source_record_key_duns ON source_record (entity, mdm_digits_key(attributes->>'duns'));
CREATE INDEX source_record_key_national_id ON source_record (entity, mdm_ident_key(attributes->>'nationalId'));
CREATE INDEX source_record_key_email ON source_record (entity, mdm_email_key(attributes->>'email'));
CREATE INDEX source_record_key_phone ON source_record (entity, mdm_phone_key(attributes->>'phone'));
CREATE INDEX source_record_key_name_postal ON source_record
  (entity, mdm_ident_key(attributes->>'postalCode'), mdm_name_prefix(attributes->>'name'));
CREATE INDEX source_record_key_gln ON source_record (entity, mdm_digits_key(attributes->>'gln'));
CREATE INDEX source_record_key_gtin ON source_record (entity, mdm_digits_key(attributes->>'gtin'));
CREATE INDEX source_record_key_part_number ON source_record (entity, mdm_ident_key(attributes->>'partNumber'));
CREATE INDEX source_record_key_mpn ON source_record (entity, mdm_ident_key(attributes->>'manufacturerPartNumber'));
CREATE INDEX source_record_key_serial ON source_record (entity, mdm_serial_key(attributes->>'serialNumber'));
CREATE INDEX source_record_key_contract ON source_record (entity, mdm_ident_key(attributes->>'contractNumber'));

-- sourceRecordMoves and cross-references "as of" a time.
CREATE INDEX xref_move_to_golden ON xref_move (to_golden, moved_at);
CREATE INDEX xref_move_from_golden ON xref_move (from_golden, moved_at);

-- The match-queue change feed (matchQueueChanged) reads pairs changed since a watermark.
CREATE INDEX match_pair_updated ON match_pair (updated_at, id);
