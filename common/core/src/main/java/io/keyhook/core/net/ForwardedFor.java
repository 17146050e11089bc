package io.keyhook.core.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Finds the address a request really came from, for limits and the audit log. Services and the console use this one
 * implementation.
 * <ul>
 * <li>Forwarding is believed only when the connection comes from a trusted proxy, and only from the one header the
 * deployment's proxies write ({@link ForwardingHeader}); the other header is the client's and is ignored.</li>
 * <li>Every line of that header counts, joined in the order received: a proxy such as HAProxy ({@code option
 * forwardfor}) adds a line of its own rather than appending to the client's, so reading the first line alone would let
 * the client choose its address.</li>
 * <li>The address is the rightmost entry that is not a trusted proxy. Entries to its left were written by the client
 * and prove nothing. An entry that is not strictly an IP address ({@link StrictIpAddress}) ends the walk at the proxy
 * that wrote it; no entry is ever looked up as a name.</li>
 * </ul>
 */
public final class ForwardedFor {

    /** Longest stretch of the header read, from its right end; an attacker's 64 KB header costs nothing. */
    static final int MAX_HEADER = 2048;
    static final int MAX_HOPS = 16;

    private final List<Cidr> trusted;
    private final ForwardingHeader header;

    public ForwardedFor(List<Cidr> trusted, ForwardingHeader header) {
        this.trusted = List.copyOf(trusted);
        this.header = header;
    }

    /**
     * @param trustedProxies
     *            comma-separated addresses and CIDR ranges ({@code 10.0.0.0/8, 127.0.0.1}); blank = none
     * @param forwardedHeader
     *            {@code x-forwarded-for} or {@code forwarded}
     */
    public static ForwardedFor parse(String trustedProxies, String forwardedHeader) {
        List<Cidr> ranges = new ArrayList<>();
        if (trustedProxies != null) {
            for (String s : trustedProxies.split(",")) {
                String t = s.trim();
                if (t.isEmpty()) {
                    continue;
                }
                if (t.indexOf('/') < 0) {
                    InetAddress a = StrictIpAddress.parse(t);
                    if (a == null) {
                        throw new IllegalArgumentException("trusted proxies: not an IP address or CIDR range: " + t);
                    }
                    t = t + "/" + a.getAddress().length * 8;
                }
                ranges.add(Cidr.parse(t));
            }
        }
        return new ForwardedFor(ranges, ForwardingHeader.fromConfig(forwardedHeader));
    }

    public boolean trustsAnyone() {
        return !trusted.isEmpty();
    }

    /** The header this deployment believes; read every line of it, and no other. */
    public ForwardingHeader header() {
        return header;
    }

    /**
     * The caller's address for limits and audit logs, as every Keyhook HTTP server reads it: {@code unknown} without a
     * peer; the peer itself unless it is a trusted proxy; otherwise what the believed header says.
     *
     * @param peer
     *            the address of the connection's other end, or null when the server does not know it
     * @param headerLines
     *            every line of a request header by name, in the order received (empty if absent); only
     *            {@link #header()} is asked for
     */
    public String client(String peer, Function<String, List<String>> headerLines) {
        if (peer == null) {
            return "unknown";
        }
        if (!trustsAnyone()) {
            return peer;
        }
        return client(peer, headerLines.apply(header.headerName()));
    }

    /**
     * The client's address.
     *
     * @param peer
     *            the address of the connection's other end
     * @param headerLines
     *            every line of the believed header ({@link #header()}), in the order received; empty if absent
     */
    public String client(String peer, List<String> headerLines) {
        if (peer == null || headerLines == null || headerLines.isEmpty() || !isTrusted(peer)) {
            return peer;
        }
        String current = peer;
        List<String> chain = entries(String.join(",", headerLines));
        for (int i = chain.size() - 1; i >= 0; i--) {
            String entry = chain.get(i).trim();
            InetAddress hop = StrictIpAddress.parse(header == ForwardingHeader.FORWARDED ? forValue(entry) : entry);
            if (hop == null) {
                return current;
            }
            current = hop.getHostAddress();
            if (!isTrusted(current)) {
                return current;
            }
        }
        return current;
    }

    private boolean isTrusted(String address) {
        InetAddress a = StrictIpAddress.parse(address);
        if (a == null) {
            return false;
        }
        for (Cidr c : trusted) {
            if (c.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The rightmost entries (at most {@link #MAX_HOPS}, from the last {@link #MAX_HEADER} characters). Split on every
     * comma, quotes or not: a client's unterminated quote must not swallow what the proxies appended after it, and no
     * address a proxy writes contains a comma.
     */
    private static List<String> entries(String joined) {
        String tail = joined;
        if (tail.length() > MAX_HEADER) {
            // the rightmost part is what the trusted proxies wrote; the cut entry at the left edge is dropped
            tail = tail.substring(tail.length() - MAX_HEADER);
            int comma = tail.indexOf(',');
            tail = comma < 0 ? "" : tail.substring(comma + 1);
        }
        List<String> out = List.of(tail.split(",", -1));
        return out.size() > MAX_HOPS ? out.subList(out.size() - MAX_HOPS, out.size()) : out;
    }

    /**
     * The address in the {@code for=} pair of one RFC 7239 element ({@code for=192.0.2.60:8080},
     * {@code for="[2001:db8::7]:4711"}), or "" when it has none or it is not an address ({@code unknown},
     * {@code _hidden}).
     */
    static String forValue(String element) {
        for (String pair : element.split(";")) {
            String p = pair.trim();
            if (!p.regionMatches(true, 0, "for=", 0, 4)) {
                continue;
            }
            String v = p.substring(4).trim();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
            if (v.startsWith("[")) {
                int close = v.indexOf(']');
                if (close < 0 || !portOrNothing(v.substring(close + 1))) {
                    return "";
                }
                return v.substring(1, close);
            }
            int colon = v.indexOf(':');
            if (colon < 0) {
                return v;
            }
            // an unbracketed IPv6 address is not allowed here (RFC 7239 section 6): only "IPv4:port"
            return portOrNothing(v.substring(colon)) ? v.substring(0, colon) : "";
        }
        return "";
    }

    /** "" or ":" followed by a port: 1 to 5 digits, or an obfuscated one ({@code _abc}). */
    private static boolean portOrNothing(String rest) {
        if (rest.isEmpty()) {
            return true;
        }
        String port = rest.startsWith(":") ? rest.substring(1) : null;
        return port != null && (port.matches("[0-9]{1,5}") || port.matches("_[A-Za-z0-9._-]{1,64}"));
    }

    @Override
    public String toString() {
        return "trusted " + trusted + ", believing " + header.headerName();
    }

}
