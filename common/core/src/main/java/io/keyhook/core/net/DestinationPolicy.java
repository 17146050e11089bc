package io.keyhook.core.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Which URLs Keyhook may call (webhook destinations, receivers' token endpoints): {@code https} only unless plain
 * {@code http} is allowed, no user-info, and never an address that reaches inside — loopback, private (RFC 1918, RFC
 * 4193), link-local (and so the cloud metadata service), CGNAT, multicast, unspecified, reserved — whatever way the
 * host is spelt, and whatever a host name resolves to. Operators may allow ranges explicitly (tests, local receivers).
 * webhook-config-service checks when a URL is saved; the dispatcher checks again with the address it connects to, so
 * DNS rebinding gains nothing.
 */
public final class DestinationPolicy {

    /** Resolves a host name; the default asks the system resolver. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    public static final Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
    public static final int MAX_URL_LENGTH = 2048;

    private static final List<Cidr> FORBIDDEN = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
            "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "::/128", "::1/128",
            "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8", "100::/64", "2001:db8::/32",
            // local-use NAT64 (RFC 8215), IPv4-translated (RFC 6052): never a destination. IPv4-mapped (::ffff:0:0/96)
            // is refused in isPublic, since Java turns it into IPv4 when parsing
            "64:ff9b:1::/48", "::ffff:0:0:0/96").stream().map(Cidr::parse).toList();

    private final boolean allowHttp;
    private final List<Cidr> allowed;
    private final Resolver resolver;

    public DestinationPolicy(boolean allowHttp, List<Cidr> allowed, Resolver resolver) {
        this.allowHttp = allowHttp;
        this.allowed = List.copyOf(allowed);
        this.resolver = resolver;
    }

    /** Checks the URL and every address its host resolves to; returns the parsed URL. */
    public URI check(String url) {
        URI uri = checkSyntax(url);
        String host = hostOf(uri);
        InetAddress literal = IpLiterals.parse(host);
        if (literal != null) {
            checkAddress(literal);
            return uri;
        }
        if (uri.getHost() == null) {
            throw new UnsafeDestinationException("destination_invalid", "the URL's host is not valid");
        }
        List<InetAddress> addresses;
        try {
            String name = host.toLowerCase(Locale.ROOT);
            // RFC 6761: localhost names are loopback whatever a resolver says
            addresses = name.equals("localhost") || name.endsWith(".localhost")
                    ? List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"))
                    : resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new UnsafeDestinationException("destination_unresolvable", "the host " + host + " does not resolve");
        }
        if (addresses.isEmpty()) {
            throw new UnsafeDestinationException("destination_unresolvable", "the host " + host + " does not resolve");
        }
        for (InetAddress a : addresses) {
            checkAddress(a);
        }
        return uri;
    }

    /** The URL's form alone: length, scheme, no user-info, a host. */
    public URI checkSyntax(String url) {
        if (url == null || url.isBlank()) {
            throw new UnsafeDestinationException("destination_invalid", "a URL is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new UnsafeDestinationException("destination_invalid",
                    "the URL is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new UnsafeDestinationException("destination_invalid", "not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new UnsafeDestinationException("destination_scheme",
                    allowHttp ? "the URL must be http or https" : "the URL must be https");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            throw new UnsafeDestinationException("destination_userinfo",
                    "the URL must not carry credentials (user-info)");
        }
        String host = hostOf(uri);
        if (host == null || host.isEmpty()) {
            throw new UnsafeDestinationException("destination_invalid", "the URL has no host");
        }
        if (uri.getHost() == null && !plainAuthority(uri.getRawAuthority())) {
            // found by DestinationPolicyPropertyTest: "https://1:::a/p" was read as host 1:: with port "a"
            throw new UnsafeDestinationException("destination_invalid",
                    "the URL's host and port are not valid (an IPv6 address needs brackets, a port digits)");
        }
        if (uri.getRawFragment() != null) {
            throw new UnsafeDestinationException("destination_invalid", "the URL must not have a fragment");
        }
        return uri;
    }

    /**
     * The host, also when java.net.URI declines to call it one: {@code 127.1} or {@code 0x7f.0.0.1} are not valid host
     * names to it, but HTTP clients and resolvers may still accept them, so they must be checked as addresses.
     */
    private static String hostOf(URI uri) {
        if (uri.getHost() != null) {
            return uri.getHost();
        }
        String authority = uri.getRawAuthority();
        if (authority == null) {
            return null;
        }
        String host = authority;
        if (!host.startsWith("[")) {
            int colon = host.lastIndexOf(':');
            host = colon >= 0 ? host.substring(0, colon) : host;
        }
        return host;
    }

    /**
     * An authority java.net.URI did not parse as host[:port] (it has no host for {@code 127.1}) is still taken only in
     * that shape: a host without colons, then at most a numeric port.
     */
    private static boolean plainAuthority(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end > 0 && (end == authority.length() - 1 || validPort(authority, end + 1));
        }
        int colon = authority.indexOf(':');
        return colon < 0 || colon > 0 && validPort(authority, colon);
    }

    /** Whether {@code authority} from {@code colon} on is {@code :<1..65535>}. */
    private static boolean validPort(String authority, int colon) {
        String port = authority.substring(colon + 1);
        if (authority.charAt(colon) != ':' || port.isEmpty() || port.length() > 5
                || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int n = Integer.parseInt(port);
        return n >= 1 && n <= 65535;
    }

    /** Refuses an address that reaches inside, unless an operator allowed its range. */
    public void checkAddress(InetAddress address) {
        if (allowed.stream().anyMatch(c -> c.contains(address))) {
            return;
        }
        if (!isPublic(address)) {
            throw new UnsafeDestinationException("destination_not_public",
                    "the destination is not a public address (loopback, private, link-local, metadata, multicast or"
                            + " reserved)");
        }
    }

    /** Whether the address is an ordinary public unicast address (IPv4 inside IPv6 forms is unwrapped first). */
    public static boolean isPublic(InetAddress address) {
        if (isIpv4Mapped(address)) {
            // ::ffff:0:0/96 kept as IPv6 (a resolver's or a hand-built address): a destination never needs it
            return false;
        }
        InetAddress a = unwrap(address);
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        for (Cidr c : FORBIDDEN) {
            if (c.contains(a) || c.contains(address)) {
                return false;
            }
        }
        return true;
    }

    /** IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible, NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4. */
    static InetAddress unwrap(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        boolean zeros80 = true;
        for (int i = 0; i < 10; i++) {
            zeros80 &= b[i] == 0;
        }
        byte[] v4 = null;
        if (zeros80 && (b[10] == (byte) 0xff && b[11] == (byte) 0xff || b[10] == 0 && b[11] == 0 && !allZero(b))) {
            v4 = new byte[] { b[12], b[13], b[14], b[15] };
        } else if (b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b) {
            v4 = new byte[] { b[12], b[13], b[14], b[15] };
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            v4 = new byte[] { b[2], b[3], b[4], b[5] };
        }
        if (v4 == null) {
            return address;
        }
        try {
            return Inet4Address.getByAddress(v4);
        } catch (UnknownHostException e) {
            return address;
        }
    }

    private static boolean isIpv4Mapped(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return false;
        }
        byte[] b = address.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static boolean allZero(byte[] b) {
        for (int i = 0; i < 15; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[15] == 0 || b[15] == 1;
    }
}
