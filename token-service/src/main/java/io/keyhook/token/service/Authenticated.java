package io.keyhook.token.service;

import io.keyhook.token.view.KnownClient;

/** A client that proved it holds one of its active secrets. */
public record Authenticated(KnownClient client, KnownClient.KnownSecret secret) {
}
