-- What changed in an entity type since a resolve run (incremental `mdm resolve`), and the newest
-- change of an entity type, without reading every source record of the type.
CREATE INDEX source_record_entity_change ON source_record (entity, change_seq);

-- The serial key of real-time neighbourhoods and lookups (sql/0006) removed one label only, so
-- "Ser.No. 1000035" became "N01000035" and never met "SN-1000035". Labels now go as the matching
-- standardizer removes them (src/matching/standardize/serial.ts): up to three in a row, a glued
-- label only before a digit, "No."/"Nr." only with a separator; a value that is nothing but a
-- label keeps it.
CREATE OR REPLACE FUNCTION mdm_serial_key(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN NULLIF(ltrim(regexp_replace(translate(regexp_replace(
      CASE WHEN upper(btrim(value)) ~ '^((SERIAL\s*(NUMBER|NO|NR|NUM)?|SER(\s*(NO|NR))?|S/N|SN|SNR|SERIENNUMMER|SERIENNR|FABRIKNUMMER|FABRIKNR|FNR)([\s.:#_/-]+|(?=[0-9]))|(NO|NR|NUM|NUMBER)[\s.:#_/-]+|#\s*){1,3}$'
        THEN upper(btrim(value))
        ELSE regexp_replace(upper(btrim(value)),
          '^((SERIAL\s*(NUMBER|NO|NR|NUM)?|SER(\s*(NO|NR))?|S/N|SN|SNR|SERIENNUMMER|SERIENNR|FABRIKNUMMER|FABRIKNR|FNR)([\s.:#_/-]+|(?=[0-9]))|(NO|NR|NUM|NUMBER)[\s.:#_/-]+|#\s*){1,3}', '')
      END,
      '[^A-Z0-9]', '', 'g'), 'ODQILZSGB', '000112568'), '^5N', ''), '0'), '');

REINDEX INDEX source_record_key_serial;
