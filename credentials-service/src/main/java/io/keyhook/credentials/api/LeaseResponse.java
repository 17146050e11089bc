package io.keyhook.credentials.api;

import java.util.List;

public record LeaseResponse(String webhookId, String environment, List<String> secretIds) {
}
