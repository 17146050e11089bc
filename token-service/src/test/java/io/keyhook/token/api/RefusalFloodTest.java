package io.keyhook.token.api;

import static io.keyhook.token.support.OAuth.basic;
import static io.keyhook.token.support.OAuth.from;
import static io.keyhook.token.support.OAuth.newAddress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.token.service.OAuthException;
import io.keyhook.token.service.RefusalTally;
import io.keyhook.token.service.TokenAudit;
import io.keyhook.token.support.TestClients;
import io.keyhook.token.support.Views;
import io.keyhook.token.view.CredentialView;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Issue 28, point 5: refusals before authentication count against their source's limit (400s included) and, when they
 * name no known client, are audited as counts per source and reason per minute. On main 3,000 {@code grant_type=x} from
 * one address were 3,000 x 400 and 3,002 audit rows; 200,000 overflowed the audit queue.
 */
@QuarkusTest
class RefusalFloodTest {

    @Inject
    TokenExchange exchange;

    @Inject
    CredentialView view;

    @Inject
    TokenAudit audit;

    @Inject
    RefusalTally tally;

    @Inject
    MeterRegistry registry;

    @Inject
    Pool pool;

    @Test
    void badRequestsCountAgainstTheirSourceButACorrectSecretStillPasses() {
        TestClients.Client c = Views.awaitKnown(view,
                TestClients.publish(TestClients.apiClient(TestClients.environment())));
        String flood = newAddress();
        int refused400 = 0;
        int refused429 = 0;
        for (int i = 0; i < 100; i++) {
            int status = from(flood).formParam("grant_type", "x").post("/oauth2/token").statusCode();
            refused400 += status == 400 ? 1 : 0;
            refused429 += status == 429 ? 1 : 0;
        }
        // %test: 40 failures per source
        assertEquals(40, refused400, "400s until the source's limit");
        assertEquals(60, refused429, "then 429s");
        basic(flood, c.clientId(), c.secret().value()).then().statusCode(200);
    }

    @Test
    void aFloodOfBadRequestsFromOneSourceNeitherOverflowsTheAuditQueueNorFillsTheTable() {
        String flood = newAddress();
        // what earlier tests left queued or counted is written first, so it is not taken for the flood's
        tally.flush();
        assertTrue(audit.flushed(Duration.ofSeconds(30)));
        double droppedBefore = registry.counter("keyhook.audit.dropped").count();
        Instant start = Instant.now();
        // a few thousand over HTTP ...
        for (int i = 0; i < 3_000; i++) {
            from(flood).formParam("grant_type", "x").post("/oauth2/token");
        }
        // ... and the rest through the same exchange in-process (HTTP on two cores would take minutes)
        for (int i = 0; i < 197_000; i++) {
            try {
                exchange.exchange("grant_type=x", null, flood).await().indefinitely();
            } catch (OAuthException refused) {
                // expected: 400, then 429
            }
        }
        tally.flush();
        assertTrue(audit.flushed(Duration.ofSeconds(30)), "the audit queue drains");
        assertEquals(droppedBefore, registry.counter("keyhook.audit.dropped").count(), "no audit entry dropped");
        Tuple since = Tuple.of(OffsetDateTime.ofInstant(start, ZoneOffset.UTC));
        long added = count("select count(*) from tokens.audit_log where occurred_at >= $1", since);
        assertTrue(added <= 300, () -> "200,000 refusals added " + added + " audit rows: " + breakdown(since));
        long fromFlood = count("select count(*) from tokens.audit_log where source = $1", Tuple.of(flood));
        assertTrue(fromFlood >= 1 && fromFlood <= 10, "the flood is on record, as counts per minute: " + fromFlood);
    }

    private String breakdown(Tuple since) {
        StringBuilder b = new StringBuilder();
        pool.preparedQuery("select source, action, left(detail, 40), count(*) from tokens.audit_log"
                + " where occurred_at >= $1 group by 1, 2, 3 order by 4 desc limit 8").execute(since).await()
                .indefinitely().forEach(r -> b.append(r.getString(0)).append(' ').append(r.getString(1)).append(' ')
                        .append(r.getString(2)).append(": ").append(r.getLong(3)).append("; "));
        return b.toString();
    }

    private long count(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).await().indefinitely().iterator().next().getLong(0);
    }
}
