package io.keyhook.dispatcher.view;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.common.view.FollowedEnvironments;

/** Which notification types each Environment's Configuration offers, for dropping unknown ones (see the superclass). */
@ApplicationScoped
public class EnvironmentView extends FollowedEnvironments {
}
