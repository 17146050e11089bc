-- The W3C traceparent of the event's processing span: every attempt of the delivery, even a retry days later, is a
-- span of the trace the publishing data service started. Null for deliveries stored before tracing.
ALTER TABLE deliveries ADD COLUMN traceparent text;
