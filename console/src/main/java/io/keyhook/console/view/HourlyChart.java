package io.keyhook.console.view;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Delivered and failed deliveries per hour over the last 24 hours, as an inline SVG drawn here (no chart library, no
 * CDN). Bars: delivered green, failed red, stacked.
 */
public final class HourlyChart {

    private static final int HOURS = 24;
    private static final int BAR = 22;
    private static final int GAP = 4;
    private static final int HEIGHT = 120;

    private final int[] delivered = new int[HOURS];
    private final int[] failed = new int[HOURS];
    private final Instant start;

    public HourlyChart(Instant now) {
        this.start = now.truncatedTo(ChronoUnit.HOURS).minus(HOURS - 1, ChronoUnit.HOURS);
    }

    /** Counts one delivery made at {@code at}: delivered, or failed (failed or expired); others are not drawn. */
    public void add(Instant at, String status) {
        if (at == null || at.isBefore(start)) {
            return;
        }
        int h = (int) ChronoUnit.HOURS.between(start, at);
        if (h < 0 || h >= HOURS) {
            return;
        }
        if ("delivered".equals(status)) {
            delivered[h]++;
        } else if ("failed".equals(status) || "expired".equals(status)) {
            failed[h]++;
        }
    }

    public int total(String status) {
        int[] a = "delivered".equals(status) ? delivered : failed;
        int t = 0;
        for (int v : a) {
            t += v;
        }
        return t;
    }

    /** The SVG markup; every label and number in it comes from this class, never from user input. */
    public String svg() {
        int max = 1;
        for (int i = 0; i < HOURS; i++) {
            max = Math.max(max, delivered[i] + failed[i]);
        }
        int width = HOURS * (BAR + GAP) + 40;
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(HEIGHT + 30).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(HEIGHT + 30).append("\" aria-label=\"Deliveries per hour, last 24 hours: ")
                .append(total("delivered")).append(" delivered, ").append(total("failed")).append(" failed\">");
        s.append("<text x=\"4\" y=\"12\" font-size=\"10\" fill=\"#5b6576\">").append(max).append("</text>");
        for (int i = 0; i < HOURS; i++) {
            int x = 30 + i * (BAR + GAP);
            int hd = delivered[i] * HEIGHT / max;
            int hf = failed[i] * HEIGHT / max;
            String hour = String.format("%02d:00", start.plus(i, ChronoUnit.HOURS).atZone(ZoneOffset.UTC).getHour());
            if (hd > 0) {
                s.append("<rect x=\"").append(x).append("\" y=\"").append(HEIGHT - hd).append("\" width=\"").append(BAR)
                        .append("\" height=\"").append(hd).append("\" fill=\"#1a7f37\"><title>").append(hour)
                        .append(" UTC: ").append(delivered[i]).append(" delivered</title></rect>");
            }
            if (hf > 0) {
                s.append("<rect x=\"").append(x).append("\" y=\"").append(HEIGHT - hd - hf).append("\" width=\"")
                        .append(BAR).append("\" height=\"").append(hf).append("\" fill=\"#b42318\"><title>")
                        .append(hour).append(" UTC: ").append(failed[i]).append(" failed</title></rect>");
            }
            if (i % 3 == 0) {
                s.append("<text x=\"").append(x).append("\" y=\"").append(HEIGHT + 14)
                        .append("\" font-size=\"10\" fill=\"#5b6576\">").append(hour).append("</text>");
            }
        }
        s.append("<line x1=\"28\" y1=\"").append(HEIGHT).append("\" x2=\"").append(width).append("\" y2=\"")
                .append(HEIGHT).append("\" stroke=\"#d8dee8\"/>");
        s.append("<text x=\"30\" y=\"").append(HEIGHT + 28).append("\" font-size=\"10\" fill=\"#1a7f37\">■ delivered ")
                .append(total("delivered")).append("</text><text x=\"140\" y=\"").append(HEIGHT + 28)
                .append("\" font-size=\"10\" fill=\"#b42318\">■ failed ").append(total("failed")).append("</text>");
        return s.append("</svg>").toString();
    }

    /** For tests: the counts per hour, oldest first. */
    List<int[]> counts() {
        return List.of(delivered.clone(), failed.clone());
    }
}
