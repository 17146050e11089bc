package io.keyhook.console.session;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.console.config.ConsoleConfig;
import io.vertx.core.http.HttpServerRequest;

/**
 * The address of the person using the console: the connection's peer, or, when the peer is one of
 * {@code keyhook.console.trusted-proxies} (the ingress), the rightmost X-Forwarded-For entry that is not a trusted
 * proxy; entries further left were written by the browser's side and prove nothing. The same rule as the services'
 * {@code ForwardedFor} (common), kept here because the console does not depend on common.
 */
@ApplicationScoped
public class VisitorAddress {

    private static final Pattern IP = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] a) {
            if (a.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Range> trusted;

    @Inject
    VisitorAddress(ConsoleConfig config) {
        trusted = parse(config.trustedProxies().orElse(""));
    }

    public String of(HttpServerRequest request) {
        if (request == null || request.remoteAddress() == null) {
            return "unknown";
        }
        String current = request.remoteAddress().hostAddress();
        String xff = request.getHeader("X-Forwarded-For");
        if (trusted.isEmpty() || xff == null || !isTrusted(current)) {
            return current;
        }
        String[] hops = xff.length() > 2048 ? new String[0] : xff.split(",");
        for (int i = hops.length - 1; i >= 0 && i >= hops.length - 16; i--) {
            byte[] hop = literal(hops[i].trim());
            if (hop == null) {
                return current;
            }
            current = address(hop);
            if (!isTrusted(current)) {
                return current;
            }
        }
        return current;
    }

    private boolean isTrusted(String address) {
        byte[] a = literal(address);
        return a != null && trusted.stream().anyMatch(r -> r.contains(a));
    }

    private static List<Range> parse(String list) {
        List<Range> out = new ArrayList<>();
        for (String s : list.split(",")) {
            String t = s.trim();
            if (t.isEmpty()) {
                continue;
            }
            int slash = t.indexOf('/');
            byte[] net = literal(slash < 0 ? t : t.substring(0, slash));
            if (net == null) {
                throw new IllegalArgumentException("keyhook.console.trusted-proxies: not an address or range: " + t);
            }
            out.add(new Range(net, slash < 0 ? net.length * 8 : Integer.parseInt(t.substring(slash + 1))));
        }
        return out;
    }

    /** The bytes of an IP literal, never a DNS look-up; null for anything else. */
    private static byte[] literal(String s) {
        if (s == null || !IP.matcher(s).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String address(byte[] b) {
        try {
            return InetAddress.getByAddress(b).getHostAddress();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
