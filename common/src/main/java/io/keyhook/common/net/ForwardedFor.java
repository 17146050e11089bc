package io.keyhook.common.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the address a request really came from. {@code X-Forwarded-For} and {@code Forwarded} are believed only when
 * the connection comes from a trusted proxy, and then only as far as the chain of trusted proxies goes: the address is
 * the rightmost one that is not a trusted proxy. Entries to its left were written by the client and prove nothing, so
 * spoofing the header moves nobody's address. An entry that is not an IP address ends the walk at the proxy that wrote
 * it.
 */
public final class ForwardedFor {

    /** Longest forwarding header read; an attacker's 64 KB header costs nothing. */
    static final int MAX_HEADER = 2048;
    static final int MAX_HOPS = 16;

    private final List<Cidr> trusted;

    public ForwardedFor(List<Cidr> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** From a comma-separated list of addresses and CIDR ranges ({@code 10.0.0.0/8, 127.0.0.1}); blank = none. */
    public static ForwardedFor parse(String trustedProxies) {
        List<Cidr> ranges = new ArrayList<>();
        if (trustedProxies != null) {
            for (String s : trustedProxies.split(",")) {
                String t = s.trim();
                if (t.isEmpty()) {
                    continue;
                }
                if (t.indexOf('/') < 0) {
                    InetAddress a = IpLiterals.parse(t);
                    if (a == null) {
                        throw new IllegalArgumentException("not an IP address or CIDR range: " + t);
                    }
                    t = t + "/" + a.getAddress().length * 8;
                }
                ranges.add(Cidr.parse(t));
            }
        }
        return new ForwardedFor(ranges);
    }

    public boolean trustsAnyone() {
        return !trusted.isEmpty();
    }

    /**
     * The client's address.
     *
     * @param peer
     *            the address of the connection's other end
     * @param xForwardedFor
     *            the {@code X-Forwarded-For} header (null if absent)
     * @param forwarded
     *            the RFC 7239 {@code Forwarded} header (null if absent); used when there is no X-Forwarded-For
     */
    public String client(String peer, String xForwardedFor, String forwarded) {
        if (peer == null || !isTrusted(peer)) {
            return peer;
        }
        List<String> chain = xForwardedFor != null ? split(xForwardedFor, false)
                : forwarded != null ? split(forwarded, true) : List.of();
        String current = peer;
        for (int i = chain.size() - 1; i >= 0; i--) {
            InetAddress hop = IpLiterals.parse(chain.get(i));
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
        InetAddress a = IpLiterals.parse(address);
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

    private static List<String> split(String header, boolean rfc7239) {
        if (header.length() > MAX_HEADER) {
            // the rightmost part is what the trusted proxies wrote; keep it
            header = header.substring(header.length() - MAX_HEADER);
            int comma = header.indexOf(',');
            header = comma < 0 ? "" : header.substring(comma + 1);
        }
        List<String> out = new ArrayList<>();
        for (String part : header.split(",")) {
            String v = part.trim();
            if (rfc7239) {
                v = forValue(v);
            }
            out.add(v);
        }
        return out.size() > MAX_HOPS ? out.subList(out.size() - MAX_HOPS, out.size()) : out;
    }

    /** The {@code for=} value of one RFC 7239 element: quotes, brackets and a port removed. */
    private static String forValue(String element) {
        for (String pair : element.split(";")) {
            String p = pair.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("for=")) {
                String v = p.substring(4).trim();
                if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) {
                    v = v.substring(1, v.length() - 1);
                }
                if (v.startsWith("[")) {
                    int close = v.indexOf(']');
                    return close < 0 ? "" : v.substring(0, close + 1);
                }
                int colon = v.indexOf(':');
                return colon < 0 ? v : v.substring(0, colon);
            }
        }
        return "";
    }
}
