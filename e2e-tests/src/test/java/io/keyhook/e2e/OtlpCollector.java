package io.keyhook.e2e;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.keyhook.testing.StubHttpServer;

/**
 * A stand-in for an OpenTelemetry collector (a third party): a real HTTP server taking OTLP/HTTP protobuf exports. It
 * does not decode them; a span's trace id travels as its 16 raw bytes, and the exporting service's {@code service.name}
 * as a string, so finding both in one export says that service recorded a span of that trace.
 */
final class OtlpCollector {

    private final List<byte[]> exports = new CopyOnWriteArrayList<>();
    private final StubHttpServer server;

    OtlpCollector() {
        server = new StubHttpServer(ex -> {
            exports.add(ex.getRequestBody().readAllBytes());
            ex.getResponseHeaders().add("content-type", "application/x-protobuf");
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
    }

    String url() {
        return server.url();
    }

    /** Whether {@code service} exported a span of the trace {@code traceId} (32 hex digits). */
    boolean recorded(String service, String traceId) {
        byte[] id = HexFormat.of().parseHex(traceId);
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        return exports.stream().anyMatch(b -> indexOf(b, id) >= 0 && indexOf(b, name) >= 0);
    }

    /** Whether any export holds the trace {@code traceId}. */
    boolean recordedAnywhere(String traceId) {
        byte[] id = HexFormat.of().parseHex(traceId);
        return exports.stream().anyMatch(b -> indexOf(b, id) >= 0);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer: for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
