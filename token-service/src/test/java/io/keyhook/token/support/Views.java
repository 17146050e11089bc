package io.keyhook.token.support;

import java.time.Duration;

import org.awaitility.Awaitility;

import io.keyhook.token.view.CredentialView;
import io.keyhook.token.view.KnownClient;

/** Waits for the service's credential view to hold a client's state. */
public final class Views {

    private Views() {
    }

    public static TestClients.Client awaitKnown(CredentialView view, TestClients.Client c) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            KnownClient k = view.client(c.clientId());
            return k != null && k.updatedAt().equals(c.updatedAt());
        });
        return c;
    }
}
