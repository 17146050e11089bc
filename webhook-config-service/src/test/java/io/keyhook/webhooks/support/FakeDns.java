package io.keyhook.webhooks.support;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.webhooks.service.DestinationResolver;
import io.quarkus.test.Mock;

/** Deterministic DNS for tests (the build machines have none): a few public names and a few that point inside. */
@Mock
@ApplicationScoped
public class FakeDns extends DestinationResolver {

    private static final Map<String, String> NAMES = Map.of("receiver.example.com", "93.184.216.34",
            "tokens.example.com", "93.184.216.35", "internal.example.com", "10.0.0.5", "metadata.example.com",
            "169.254.169.254", "partner.example.com", "10.20.1.1", "collector.attacker.example.net", "93.184.216.40");

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        String ip = NAMES.get(host);
        if (ip == null) {
            throw new UnknownHostException(host);
        }
        return List.of(InetAddress.getByName(ip));
    }
}
