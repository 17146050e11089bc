-- The delivery log is pruned by age of finished deliveries (keyhook.dispatcher.delivery.log-retention).
CREATE INDEX deliveries_finished ON deliveries (finished_at) WHERE finished_at IS NOT NULL;
