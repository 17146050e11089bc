-- A replayed delivery's place in the engine's queue (issue 28). Replay sends old deliveries again; by their own
-- sequence they would go ahead of everything the webhook has pending. queue_position puts them behind it: a value from
-- the same sequence, taken when the replay queued them, in their original order. Null (every other delivery): its
-- sequence. The delivery log keeps ordering by sequence. A nullable column rewrites nothing.
ALTER TABLE deliveries ADD COLUMN queue_position bigint;
-- "is an earlier delivery of the same record to the same webhook still open?", now by queue position (open rows only,
-- so the index is small and quick to build)
CREATE INDEX deliveries_open_by_record_position ON deliveries
    (webhook_id, ordering_key, (coalesce(queue_position, sequence))) WHERE status IN ('pending', 'held');
DROP INDEX deliveries_open_by_record;
