package io.keyhook.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One HTTP/1.1 request sent from a chosen loopback address (127.0.0.0/8 is all ours on Linux), so a test can be many
 * distinct callers to a service's per-address limits without any forwarding header. Plain sockets: the JDK 17 HTTP
 * client cannot pick its local address.
 */
final class LoopbackHttp {

    record Answer(int status, String body) {
    }

    private LoopbackHttp() {
    }

    /** 127.0.0.{n}, n from 2 (the test JVM's own calls come from 127.0.0.1). */
    static String address(int n) {
        return "127.0." + (n / 250) + "." + (n % 250 + 2);
    }

    static Answer tokenRequest(String from, String tokenUrl, String clientId, String secret) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return post(from, tokenUrl, "Basic " + basic, "application/x-www-form-urlencoded",
                "grant_type=client_credentials");
    }

    static Answer post(String from, String url, String authorization, String contentType, String body) {
        URI uri = URI.create(url);
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            s.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder().append("POST ").append(uri.getRawPath()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
                    .append("Content-Type: ").append(contentType).append("\r\n").append("Content-Length: ")
                    .append(payload.length).append("\r\n").append("Connection: close\r\n");
            if (authorization != null) {
                head.append("Authorization: ").append(authorization).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(payload);
            out.flush();
            String response = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int bodyStart = response.indexOf("\r\n\r\n");
            return new Answer(status, bodyStart < 0 ? "" : response.substring(bodyStart + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toByteArray();
    }
}
