-- the W3C traceparent of the change that wrote the row: published as the Kafka record's header
ALTER TABLE outbox ADD COLUMN traceparent text;
