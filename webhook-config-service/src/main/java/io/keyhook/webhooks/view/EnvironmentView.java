package io.keyhook.webhooks.view;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.common.view.FollowedEnvironments;

/** Every Environment and the notification types it offers, for validating webhooks (see the superclass). */
@ApplicationScoped
public class EnvironmentView extends FollowedEnvironments {
}
