-- the W3C traceparent of the change that wrote the row: published as the Kafka record's header
alter table outbox add column traceparent varchar(55);
