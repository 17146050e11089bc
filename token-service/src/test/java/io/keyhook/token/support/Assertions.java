package io.keyhook.token.support;

import java.nio.charset.StandardCharsets;

import io.keyhook.testing.TestJws;

/** RFC 7523 assertions signed the way a client would sign them (HS256, key = UTF-8 octets of the secret). */
public final class Assertions {

    public static final String AUDIENCE = "https://keyhook.test/oauth2/token";

    private Assertions() {
    }

    public static String claims(String iss, String aud, long expInSeconds, String jti) {
        long now = System.currentTimeMillis() / 1000;
        return "{\"iss\":\"" + iss + "\",\"sub\":\"" + iss + "\",\"aud\":\"" + aud + "\",\"iat\":" + now + ",\"exp\":"
                + (now + expInSeconds) + ",\"jti\":\"" + jti + "\"}";
    }

    public static String hs256(String claims, String secret) {
        return TestJws.hs256("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, secret.getBytes(StandardCharsets.UTF_8));
    }

    public static String b64(String json) {
        return TestJws.b64(json);
    }
}
