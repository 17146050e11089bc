package io.keyhook.token.api;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.keyhook.common.config.HttpConfig;
import io.keyhook.common.net.ClientAddress;
import io.keyhook.token.service.OAuthException;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /oauth2/token} as a plain Vert.x route rather than a Jakarta REST resource: the endpoint is the suite's
 * hottest path, and Quarkus REST's per-request work (matching, request context, filters, entity writers) was a measured
 * share of every token's CPU (docs/benchmarks.md, "The token route"). What the framework did is done here by hand: the
 * body limit ({@code keyhook.http.max-request-body}, 413), the form content type (else 400 {@code invalid_request}),
 * POST only (else 405 with {@code Allow}), and {@code Cache-Control: no-store} on every answer. The OpenAPI document
 * describes the route from {@code META-INF/openapi.yaml}.
 */
@ApplicationScoped
public class TokenRoute {

    static final String PATH = "/oauth2/token";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");
    private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
    private static final CharSequence PRAGMA = HttpHeaders.createOptimized("Pragma");
    private static final CharSequence WWW_AUTHENTICATE = HttpHeaders.createOptimized("WWW-Authenticate");
    private static final CharSequence REALM = HttpHeaders.createOptimized(OAuthResponses.REALM);

    @Inject
    TokenExchange exchange;

    @Inject
    ClientAddress addresses;

    // the same limit as common's BodySizeLimit on the Jakarta REST endpoints
    @Inject
    HttpConfig http;

    void register(@Observes Router router) {
        // before Quarkus REST's catch-all route, after the HTTP layer's own (metrics, tracing, CORS)
        router.route(PATH).order(RouteConstants.ROUTE_ORDER_DEFAULT).handler(this::handle);
    }

    void handle(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        HttpServerResponse response = routing.response();
        if (request.method() != HttpMethod.POST) {
            response.putHeader(HttpHeaders.ALLOW, "POST");
            write(response, new OAuthException(405, OAuthException.INVALID_REQUEST, "use POST", 0));
            return;
        }
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (!isForm(type)) {
            write(response, OAuthException.badRequest(OAuthException.INVALID_REQUEST,
                    "the body must be application/x-www-form-urlencoded"));
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLong(length)) {
            tooLarge(response);
            return;
        }
        String source = addresses.of(request);
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        Context context = Vertx.currentContext();
        readBody(request, response,
                body -> exchange.exchange(body, authorization, source).subscribe().with(
                        json -> on(context, () -> ok(response, json)),
                        failure -> on(context, () -> write(response, OAuthResponses.asOAuth(failure), authorization))));
    }

    /**
     * Collects the body up to the limit. A longer one (chunked, so no Content-Length said so first) is answered 413 and
     * the connection closed, rather than read on to the end.
     */
    private void readBody(HttpServerRequest request, HttpServerResponse response, Consumer<String> then) {
        Buffer body = Buffer.buffer();
        boolean[] refused = { false };
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > http.maxRequestBody()) {
                refused[0] = true;
                response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
                // before the answer ends: an end handler set afterwards is never called
                response.endHandler(v -> request.connection().close());
                tooLarge(response);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            if (!refused[0]) {
                then.accept(body.toString(StandardCharsets.UTF_8));
            }
        });
        request.resume();
    }

    private void tooLarge(HttpServerResponse response) {
        write(response, new OAuthException(413, OAuthException.INVALID_REQUEST,
                "the body is larger than " + http.maxRequestBody() + " bytes", 0));
    }

    private boolean tooLong(String length) {
        try {
            return Long.parseLong(length.trim()) > http.maxRequestBody();
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** {@code application/x-www-form-urlencoded}, with or without parameters such as a charset. */
    static boolean isForm(String type) {
        if (type == null) {
            return false;
        }
        int semicolon = type.indexOf(';');
        String bare = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        return bare.equalsIgnoreCase(FORM);
    }

    private static void on(Context context, Runnable write) {
        if (context == null || Vertx.currentContext() == context) {
            write.run();
        } else {
            context.runOnContext(v -> write.run());
        }
    }

    private static void ok(HttpServerResponse response, String json) {
        if (response.ended() || response.closed()) {
            return;
        }
        headers(response.setStatusCode(200).headers());
        response.end(json);
    }

    static void write(HttpServerResponse response, OAuthException e) {
        write(response, e, null);
    }

    /**
     * RFC 6749 section 5.2, with the headers {@link OAuthResponses#error} sets on the Jakarta REST endpoints: the
     * {@code Basic} challenge only when the request carried an Authorization header.
     */
    static void write(HttpServerResponse response, OAuthException e, String authorization) {
        if (response.ended() || response.closed()) {
            return;
        }
        MultiMap headers = headers(response.setStatusCode(e.status()).headers());
        if (OAuthResponses.challenges(e, authorization)) {
            headers.set(WWW_AUTHENTICATE, REALM);
        }
        if (e.retryAfter() > 0) {
            headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfter()));
        }
        response.end(OAuthResponses.errorBody(e));
    }

    private static MultiMap headers(MultiMap headers) {
        // RFC 6749 section 5.1: a token answer is never cached
        return headers.set(HttpHeaders.CONTENT_TYPE, JSON).set(HttpHeaders.CACHE_CONTROL, NO_STORE).set(PRAGMA,
                NO_CACHE);
    }
}
