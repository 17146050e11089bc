package io.keyhook.webhooks.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.common.kafka.FollowedEnvironments;

/** Every Environment and the notification types it offers, for validating webhooks (see the superclass). */
@ApplicationScoped
public class EnvironmentView extends FollowedEnvironments {
}
