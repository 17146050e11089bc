package io.keyhook.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Parses a URL host that is an IP address in any spelling a resolver or HTTP client might accept, so a check cannot be
 * dodged by writing {@code 127.0.0.1} as {@code 2130706433}, {@code 0x7f000001}, {@code 017700000001} or {@code 127.1}:
 * IPv4 in the inet_aton forms (1 to 4 parts, each decimal, 0x-hex or 0-octal) and bracketed IPv6 (with an embedded IPv4
 * tail). Never touches DNS.
 */
public final class IpLiterals {

    private IpLiterals() {
    }

    /** The address the host spells, or null when the host is a name. */
    public static InetAddress parse(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            return ipv6(h.substring(1, h.length() - 1));
        }
        if (h.indexOf(':') >= 0) {
            return ipv6(h);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return ipv4(h);
    }

    private static InetAddress ipv6(String h) {
        int zone = h.indexOf('%');
        String bare = zone >= 0 ? h.substring(0, zone) : h;
        if (!bare.matches("[0-9a-f:.]+")) {
            return null;
        }
        try {
            // a literal with only hex digits, colons and dots: getByName parses it without DNS
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static InetAddress ipv4(String h) {
        String[] parts = h.split("\\.", -1);
        if (parts.length < 1 || parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long v = number(parts[i]);
            if (v == null) {
                return null;
            }
            values[i] = v;
        }
        long address;
        int n = values.length;
        // inet_aton: the last part fills all the remaining bytes
        long lastMax = 0xFFFFFFFFL >>> (8 * (n - 1));
        for (int i = 0; i < n - 1; i++) {
            if (values[i] > 0xFF) {
                return null;
            }
        }
        if (values[n - 1] > lastMax) {
            return null;
        }
        address = values[n - 1];
        for (int i = 0; i < n - 1; i++) {
            address |= values[i] << (8 * (3 - i));
        }
        byte[] bytes = { (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address };
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static Long number(String part) {
        if (part.isEmpty() || part.length() > 12) {
            return null;
        }
        try {
            if (part.startsWith("0x")) {
                return part.length() == 2 ? 0L : Long.parseLong(part.substring(2), 16);
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return Long.parseLong(part.substring(1), 8);
            }
            return part.chars().allMatch(Character::isDigit) ? Long.parseLong(part) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
