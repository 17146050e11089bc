package io.keyhook.webhooks.service;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.core.net.DestinationPolicy;

/** Resolves destination host names (the system resolver); a bean so tests can put a fake DNS in its place. */
@ApplicationScoped
public class DestinationResolver {

    public List<InetAddress> resolve(String host) throws UnknownHostException {
        return DestinationPolicy.SYSTEM.resolve(host);
    }
}
