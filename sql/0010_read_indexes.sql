-- Reads that must stay fast with a million records in the hub.

-- The steward queue across entity types (matchQueue without `entity`, the console's default view):
-- pending pairs in queue order (priority descending, then id). Without it every page sorted all
-- pending pairs (about 190 ms for 355k pairs); match_pair_queue serves the queue of one entity type.
CREATE INDEX match_pair_status_priority ON match_pair (status, priority DESC, id);
