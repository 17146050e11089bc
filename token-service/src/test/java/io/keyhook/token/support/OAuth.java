package io.keyhook.token.support;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Token-endpoint calls for tests; each test can come from its own source address (X-Forwarded-For). */
public final class OAuth {

    private static final AtomicInteger ADDRESSES = new AtomicInteger(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private OAuth() {
    }

    /** A source address no other test uses, so per-address limits of one test never touch another. */
    public static String newAddress() {
        int n = ADDRESSES.getAndIncrement();
        return "10.77." + (n / 250) + "." + (n % 250 + 1);
    }

    public static RequestSpecification from(String address) {
        return given().header("X-Forwarded-For", address).contentType("application/x-www-form-urlencoded");
    }

    /** client_credentials with client_secret_basic. */
    public static Response basic(String address, String clientId, String secret) {
        return from(address).auth().preemptive().basic(clientId, secret).formParam("grant_type", "client_credentials")
                .post("/oauth2/token");
    }

    public static Response basic(TestClients.Client c) {
        return basic(newAddress(), c.clientId(), c.secret().value());
    }

    /** The decoded header or payload of a compact JWS. */
    public static JsonNode part(String jwt, int index) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String basicHeader(String clientId, String secret) {
        return "Basic "
                + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
}
