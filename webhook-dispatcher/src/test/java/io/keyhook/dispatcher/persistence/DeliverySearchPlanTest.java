package io.keyhook.dispatcher.persistence;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every search shape of the delivery log is served by an index: with a log large enough that the planner would rather
 * read the table than an unselective index, EXPLAIN of each statement {@link DeliverySearch} runs (the same text and
 * arguments) shows no sequential scan of {@code deliveries}. The plans go to {@code target/delivery-search-plans.txt}
 * (copied into docs/deliveries.md).
 */
@QuarkusTest
class DeliverySearchPlanTest {

    @Inject
    Pool pool;

    @Test
    void eachSearchShapeReadsAnIndexNotTheTable() throws Exception {
        // 60,000 deliveries: one big Environment (4 webhooks) and 40 small ones, a resource in every 10th of each
        String big = "env-plan-" + System.nanoTime();
        pool.preparedQuery("insert into dispatcher.deliveries (id, webhook_id, environment, event_id, msg_id, type,"
                + " ordering_key, body, status, attempts, created_at, finished_at, resource_id)"
                + " select 'dl_plan_' || $1 || '_' || g, case when g % 3 = 0 then 'wh_plan_' || (g % 40)"
                + " else 'wh_plan_big_' || (g % 4) end, case when g % 3 = 0 then 'env-plan-small-' || (g % 40)"
                + " else $1 end, 'ev-plan-' || g, 'msg_plan_' || g, 'patients.updated', 'p-' || (g % 5000),"
                + " '{}', case when g % 100 = 0 then 'failed' else 'delivered' end, 1,"
                + " now() - (60000 - g) * interval '1 second', now(), 'r-' || (g % 5000) from generate_series(1, 60000) g")
                .execute(Tuple.of(big)).await().atMost(Duration.ofMinutes(2));
        pool.query("analyze dispatcher.deliveries").execute().await().atMost(Duration.ofMinutes(1));

        Map<String, DeliverySearch.Filter> shapes = new LinkedHashMap<>();
        shapes.put("Environment, newest first",
                new DeliverySearch.Filter(big, null, null, null, null, null, null, null, null, null));
        shapes.put("Environment, next page",
                new DeliverySearch.Filter(big, null, null, null, null, null, null, null, null, 50_000L));
        shapes.put("webhook",
                new DeliverySearch.Filter(big, "wh_plan_big_1", null, null, null, null, null, null, null, null));
        shapes.put("webhook and status",
                new DeliverySearch.Filter(big, "wh_plan_big_1", "failed", null, null, null, null, null, null, null));
        shapes.put("Environment and status",
                new DeliverySearch.Filter(big, null, "failed", null, null, null, null, null, null, null));
        shapes.put("resourceId",
                new DeliverySearch.Filter(big, null, null, null, null, null, "r-42", null, null, null));
        shapes.put("webhook and resourceId",
                new DeliverySearch.Filter(big, "wh_plan_big_2", null, null, null, null, "r-42", null, null, null));
        shapes.put("eventId",
                new DeliverySearch.Filter(big, null, null, null, null, null, null, "ev-plan-4", null, null));
        shapes.put("messageId",
                new DeliverySearch.Filter(big, null, null, null, null, null, null, null, "msg_plan_4", null));
        shapes.put("webhook and messageId", new DeliverySearch.Filter(big, "wh_plan_big_0", null, null, null, null,
                null, null, "msg_plan_4", null));

        StringBuilder report = new StringBuilder();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, DeliverySearch.Filter> shape : shapes.entrySet()) {
            DeliverySearch.Statement st = DeliverySearch.statement(shape.getValue(), 51);
            String plan = explain(st.sql(), st.args());
            report.append("-- ").append(shape.getKey()).append('\n').append(st.sql()).append('\n').append(plan)
                    .append('\n');
            if (plan.contains("Seq Scan on deliveries") || !plan.contains("Index")) {
                failures.add(shape.getKey() + ":\n" + plan);
            }
        }
        String trail = explain("select d.webhook_id, d.id from dispatcher.deliveries d where d.event_id = $2"
                + " and d.environment = $1 order by d.sequence limit 1000", List.of(big, "ev-plan-4"));
        report.append("-- event trail\n").append(trail).append('\n');
        if (trail.contains("Seq Scan on deliveries")) {
            failures.add("event trail:\n" + trail);
        }
        Files.writeString(Path.of("target/delivery-search-plans.txt"), report);
        assertTrue(failures.isEmpty(), "shapes read without an index:\n" + String.join("\n", failures));
        assertFalse(report.isEmpty());
    }

    private String explain(String sql, List<Object> args) {
        List<String> lines = new ArrayList<>();
        for (Row r : pool.preparedQuery("explain " + sql).execute(Tuple.from(args)).await()
                .atMost(Duration.ofSeconds(30))) {
            lines.add(r.getString(0));
        }
        return String.join("\n", lines);
    }

}
