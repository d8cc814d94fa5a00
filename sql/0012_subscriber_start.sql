-- A new subscriber receives the events written from the moment it was added, exactly. Its cursor
-- starts at the oldest transaction that may still write this outbox, and the snapshot taken when it
-- was added marks the events already committed then (visible in it): those are passed over, not
-- delivered, even when their transaction is newer than the cursor's start. Cleared once the cursor
-- has passed every transaction the snapshot knew of.
ALTER TABLE subscriber_cursor ADD COLUMN start_snapshot pg_snapshot;
