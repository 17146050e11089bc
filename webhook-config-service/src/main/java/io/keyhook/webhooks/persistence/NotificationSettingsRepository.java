package io.keyhook.webhooks.persistence;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code webhooks.notification_settings}: each Environment's notification addresses. */
@ApplicationScoped
public class NotificationSettingsRepository {

    /** The Environment's addresses; none when it has no settings. */
    public Uni<List<String>> emails(SqlClient c, String environment) {
        return c.preparedQuery("select emails from webhooks.notification_settings where environment = $1")
                .execute(Tuple.of(environment)).map(rows -> rows.size() == 0 ? List.<String> of()
                        : Arrays.asList(rows.iterator().next().getArrayOfStrings("emails")));
    }

    /** Replaces the Environment's addresses (one statement: concurrent PUTs apply one after the other). */
    public Uni<Void> put(SqlClient c, String environment, List<String> emails, Instant at) {
        return c.preparedQuery("insert into webhooks.notification_settings (environment, emails, updated_at)"
                + " values ($1, $2, $3) on conflict (environment) do update set emails = excluded.emails,"
                + " updated_at = excluded.updated_at")
                .execute(Tuple.of(environment, emails.toArray(String[]::new), at.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }
}
