-- Source records are never deleted and never renumbered: a record a source deletes is marked
-- (deleted = true) and kept, with its history. That rule, enforced here, keeps every reference to a
-- source record valid, so the tables a resolution rewrites in bulk (cross-references, their moves,
-- record links, review pairs) no longer check each row against source_record with a foreign key:
-- each check was a lookup and a row lock written to source_record, about 3.5 s per million rows
-- written, 10 to 15 s of a 1M-record resolve. Tables written a row at a time (steward decisions,
-- pins, source record history) keep their foreign keys.
ALTER TABLE xref DROP CONSTRAINT xref_record_id_fkey;
ALTER TABLE xref_move DROP CONSTRAINT xref_move_record_id_fkey;
ALTER TABLE record_link DROP CONSTRAINT record_link_record_id_fkey;
ALTER TABLE match_pair DROP CONSTRAINT match_pair_left_record_id_fkey;
ALTER TABLE match_pair DROP CONSTRAINT match_pair_right_record_id_fkey;

CREATE FUNCTION source_record_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'source records are never deleted or renumbered (% on source_record)', TG_OP
    USING ERRCODE = 'restrict_violation',
          HINT = 'mark a record deleted (deleted = true); cross-references, links and review pairs refer to it by id';
END
$$;

CREATE TRIGGER source_record_never_deleted BEFORE DELETE OR TRUNCATE ON source_record
  FOR EACH STATEMENT EXECUTE FUNCTION source_record_kept();
CREATE TRIGGER source_record_id_fixed BEFORE UPDATE OF id ON source_record
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION source_record_kept();
