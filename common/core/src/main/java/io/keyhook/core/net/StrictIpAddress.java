package io.keyhook.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP address written the one standard way, as proxies write them in forwarding headers: IPv4 as four decimal parts
 * ({@code 203.0.113.9}; no leading zeros, no inet_aton shorthand) and IPv6 as RFC 4291 text ({@code 2001:db8::7},
 * {@code ::ffff:192.0.2.1}; no zone, no brackets). Everything else is not an address. The bytes are built here and
 * handed to {@link InetAddress#getByAddress(byte[])}, so no input ever reaches a resolver: a header cannot make the
 * service look up a name. (URL hosts, which resolvers read in many spellings, are {@link IpLiterals}' job.)
 */
public final class StrictIpAddress {

    /** Longest text an address can have ({@code ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255}). */
    static final int MAX_LENGTH = 45;

    private StrictIpAddress() {
    }

    /** The address, or null when {@code text} is not exactly an IPv4 or IPv6 address. */
    public static InetAddress parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return null;
        }
        byte[] bytes = text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null; // only for a wrong length, which cannot happen here
        }
    }

    private static byte[] ipv4(String text) {
        byte[] out = new byte[4];
        int part = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '.') {
                if (part == 4) {
                    return null;
                }
                int value = decimalOctet(text, start, i);
                if (value < 0) {
                    return null;
                }
                out[part++] = (byte) value;
                start = i + 1;
            }
        }
        return part == 4 ? out : null;
    }

    /** 0 to 255 in 1 to 3 decimal digits without a leading zero; -1 otherwise. */
    private static int decimalOctet(String text, int from, int to) {
        int length = to - from;
        if (length < 1 || length > 3 || length > 1 && text.charAt(from) == '0') {
            return -1;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 255 ? value : -1;
    }

    private static byte[] ipv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null; // "::" at most once
        }
        int[] head = groups(gap < 0 ? text : text.substring(0, gap), gap < 0);
        int[] tail = gap < 0 ? new int[0] : groups(text.substring(gap + 2), true);
        if (head == null || tail == null) {
            return null;
        }
        int written = head.length + tail.length;
        if (gap < 0 ? written != 8 : written > 7) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.length; i++) {
            out[2 * i] = (byte) (head[i] >>> 8);
            out[2 * i + 1] = (byte) head[i];
        }
        int offset = 8 - tail.length;
        for (int i = 0; i < tail.length; i++) {
            out[2 * (offset + i)] = (byte) (tail[i] >>> 8);
            out[2 * (offset + i) + 1] = (byte) tail[i];
        }
        return out;
    }

    /**
     * The 16-bit groups of one side of "::" (or of the whole address), each 1 to 4 hex digits; an IPv4 address may end
     * the last side only, as two groups. Null when malformed.
     */
    private static int[] groups(String side, boolean mayEndInIpv4) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        int last = parts.length - 1;
        boolean ipv4Tail = mayEndInIpv4 && parts[last].indexOf('.') >= 0;
        int[] out = new int[parts.length + (ipv4Tail ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            if (i == last && ipv4Tail) {
                byte[] v4 = ipv4(parts[i]);
                if (v4 == null) {
                    return null;
                }
                out[i] = (v4[0] & 0xFF) << 8 | v4[1] & 0xFF;
                out[i + 1] = (v4[2] & 0xFF) << 8 | v4[3] & 0xFF;
            } else {
                int value = hexGroup(parts[i]);
                if (value < 0) {
                    return null;
                }
                out[i] = value;
            }
        }
        return out;
    }

    private static int hexGroup(String part) {
        if (part.isEmpty() || part.length() > 4) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < part.length(); i++) {
            int digit = Character.digit(part.charAt(i), 16);
            if (digit < 0 || part.charAt(i) > 'f') {
                return -1; // Character.digit also takes fullwidth and other Unicode digits
            }
            value = value << 4 | digit;
        }
        return value;
    }
}
