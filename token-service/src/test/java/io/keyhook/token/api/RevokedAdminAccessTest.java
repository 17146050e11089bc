package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.keyhook.token.support.OAuth.newAddress;
import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.keyhook.token.support.OAuth;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An admin token stops opening the admin API within a second of its admin client being disabled, its secret being
 * invalidated, the token being revoked (RFC 7009) or the client's Environments being narrowed (issue 14, point 3).
 * Before, each kept working until the token expired (up to 15 minutes).
 */
@QuarkusTest
class RevokedAdminAccessTest {

    private static final Duration AT_ONCE = Duration.ofSeconds(1);

    @Inject
    CredentialView view;

    private record Admin(TestClients.Client client, String token, String env) {
    }

    private Admin admin() {
        String env = TestClients.environment();
        TestClients.Client c = Views.awaitKnown(view,
                TestClients.publish(TestClients.adminClient(List.of("integration-admin"), List.of(env, "other"))));
        String token = basic(c).path("access_token");
        auditOf(token, env, 200);
        return new Admin(c, token, env);
    }

    @Test
    void aDisabledAdminClientsTokenIsRefusedAtOnce() {
        Admin a = admin();
        TestClients.publish(a.client().disable());
        refusedWithin(a);
    }

    @Test
    void aTokenOfAnInvalidatedSecretIsRefusedAtOnce() {
        Admin a = admin();
        TestClients.publish(a.client().invalidate(a.client().secret().id()));
        refusedWithin(a);
    }

    @Test
    void aRevokedAdminTokenIsRefusedAtOnce() {
        Admin a = admin();
        OAuth.from(newAddress()).auth().preemptive().basic(a.client().clientId(), a.client().secret().value())
                .formParam("token", a.token()).post("/oauth2/revoke").then().statusCode(200);
        refusedWithin(a);
    }

    @Test
    void narrowingAnAdminsEnvironmentsEndsItsWiderTokensAtOnce() {
        Admin a = admin();
        TestClients.Client c = a.client();
        TestClients.publish(new TestClients.Client(c.kind(), c.clientId(), null, "active", c.groups(), List.of(a.env()),
                c.updatedAt().plusSeconds(1), c.secrets()));
        refusedWithin(a);
    }

    private static void refusedWithin(Admin a) {
        Awaitility.await().atMost(AT_ONCE).pollInterval(Duration.ofMillis(20))
                .until(() -> auditStatus(a.token(), a.env()) == 401);
    }

    private static void auditOf(String token, String env, int status) {
        given().auth().oauth2(token).get("/api/v1/environments/" + env + "/token-audit").then().statusCode(status);
    }

    private static int auditStatus(String token, String env) {
        return given().auth().oauth2(token).get("/api/v1/environments/" + env + "/token-audit").statusCode();
    }
}
