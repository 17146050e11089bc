package io.keyhook.console.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class HourlyChartTest {

    static final Instant NOW = Instant.parse("2026-11-28T17:25:00Z");

    @Test
    void countsDeliveredAndFailedPerHourOfTheLast24Hours() {
        HourlyChart c = new HourlyChart(NOW);
        c.add(Instant.parse("2026-11-28T17:01:00Z"), "delivered");
        c.add(Instant.parse("2026-11-28T17:59:00Z"), "delivered");
        c.add(Instant.parse("2026-11-28T16:30:00Z"), "failed");
        c.add(Instant.parse("2026-11-28T16:31:00Z"), "expired");
        c.add(Instant.parse("2026-11-27T18:00:00Z"), "delivered"); // the oldest hour shown
        c.add(Instant.parse("2026-11-27T17:59:59Z"), "delivered"); // older: not shown
        c.add(Instant.parse("2026-11-28T17:10:00Z"), "pending"); // not an outcome yet
        int[] delivered = c.counts().get(0);
        int[] failed = c.counts().get(1);
        assertEquals(1, delivered[0]);
        assertEquals(2, delivered[23]);
        assertEquals(2, failed[22]);
        assertEquals(3, c.total("delivered"));
        assertEquals(2, c.total("failed"));
        assertArrayEquals(new int[24], new HourlyChart(NOW).counts().get(0));
    }

    @Test
    void theSvgSaysItsTotalsToScreenReadersAndDrawsABarPerBusyHour() {
        HourlyChart c = new HourlyChart(NOW);
        c.add(NOW, "delivered");
        c.add(NOW, "failed");
        String svg = c.svg();
        assertTrue(svg.startsWith("<svg") && svg.endsWith("</svg>"));
        assertTrue(svg.contains("aria-label=\"Deliveries per hour, last 24 hours: 1 delivered, 1 failed\""), svg);
        assertEquals(2, svg.split("<rect").length - 1, svg);
        assertFalse(new HourlyChart(NOW).svg().contains("<rect"), "no bars without deliveries");
    }
}
