package io.keyhook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.keyhook.testing.KafkaBroker;
import io.keyhook.tools.Demo;

/** {@code ./keyhook demo} against the running suite: every opted-in sample event arrives, signature verified. */
class DemoE2ETest {

    @Test
    void theDemoShowsVerifiedDeliveriesOfTheOptedInTypesOnly() throws Exception {
        Suite suite = Suite.get();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Demo.Outcome o = new Demo(new Demo.Settings(suite.credentials.url(), suite.tokens.url() + "/oauth2/token",
                suite.webhooks.url(), suite.dispatcher.url(), KafkaBroker.shared().clientProperties(),
                Suite.OPERATOR_ID, Suite.OPERATOR_SECRET), new PrintStream(printed, true, StandardCharsets.UTF_8))
                        .run();
        String text = printed.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        assertEquals(o.expectedTypes().stream().sorted().toList(),
                o.arrivals().stream().map(Demo.Arrival::type).sorted().toList(), "exactly the opted-in events arrived");
        assertEquals(o.expectedTypes().size(), o.verified(), "every signature verified");
        assertTrue(text.contains("3 of 3 expected deliveries arrived, 3 signatures verified"), text);
    }
}
