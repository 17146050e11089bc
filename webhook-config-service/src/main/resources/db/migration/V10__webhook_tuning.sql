-- Issue 31: per-webhook delivery tuning, the JSON of the contract's WebhookState.Tuning (timeoutMs, maxInFlight,
-- rateLimitPerSecond, headers: name -> value), each within the operator's bounds (keyhook.webhooks.tuning.*).
-- Null when every field is the dispatcher's default, as for every webhook before.
ALTER TABLE webhooks ADD COLUMN tuning text;
