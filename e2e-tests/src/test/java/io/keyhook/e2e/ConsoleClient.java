package io.keyhook.e2e;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The console over plain HTTP, as a browser without JavaScript uses it: cookies, forms and their CSRF tokens. */
final class ConsoleClient {

    static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    final String base;
    String session;

    ConsoleClient(String base) {
        this.base = base;
    }

    /** Signs in with an admin client; returns the sign-in answer (303 on success). */
    Response signIn(String clientId, String secret) {
        Response form = given().redirects().follow(false).get(base + "/sign-in");
        String csrf = csrf(form.asString());
        Response r = given().redirects().follow(false)
                .cookie("keyhook_console_signin", form.getCookie("keyhook_console_signin")).formParam("_csrf", csrf)
                .formParam("clientId", clientId).formParam("clientSecret", secret).post(base + "/sign-in");
        session = r.getCookie("keyhook_console");
        return r;
    }

    RequestSpecification request() {
        RequestSpecification r = given().redirects().follow(false);
        return session == null ? r : r.cookie("keyhook_console", session);
    }

    Response get(String path) {
        return request().get(base + path);
    }

    /** The CSRF token of the page at {@code path}. */
    String csrfOf(String path) {
        return csrf(get(path).asString());
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF field in:\n" + html);
        }
        return m.group(1);
    }
}
