package io.keyhook.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** docs/capacity.md's table is what the model computes from bench/capacity/inputs.properties, and the model adds up. */
class CapacityModelTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theDocumentsTableIsRecomputedFromTheMeasuredInputs() throws Exception {
        CapacityModel model = CapacityModel.load(ROOT.resolve("bench/capacity/inputs.properties"));
        String doc = Files.readString(ROOT.resolve("docs/capacity.md"));
        assertEquals(model.render(doc), doc,
                "docs/capacity.md differs from the model: run bench/capacity/model --write after changing the inputs");
    }

    @Test
    void everyFigureScalesWithItsInputs() throws Exception {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(ROOT.resolve("bench/capacity/inputs.properties"))) {
            p.load(r);
        }
        CapacityModel base = new CapacityModel(p);
        Properties doubled = (Properties) p.clone();
        doubled.setProperty("workload.tokens_per_s", String.valueOf(2 * base.get("workload.tokens_per_s")));
        doubled.setProperty("workload.events_per_s", String.valueOf(2 * base.get("workload.events_per_s")));
        CapacityModel twice = new CapacityModel(doubled);
        assertEquals(2 * cores(base, "token-service cores"), cores(twice, "token-service cores"), 0.11);
        assertEquals(2 * cores(base, "dispatcher cores"), cores(twice, "dispatcher cores"), 0.11);
        assertEquals(2 * cores(base, "PostgreSQL cores for the delivery log"),
                cores(twice, "PostgreSQL cores for the delivery log"), 0.11);
        double replicas = cores(base, "dispatcher replicas");
        double partitions = cores(base, "`keyhook.data-changes` partitions");
        assertTrue(partitions >= 2 * replicas && partitions % 12 == 0, partitions + " for " + replicas);

        Properties missing = (Properties) p.clone();
        missing.remove("measured.token_cpu_us_per_token");
        assertThrows(IllegalArgumentException.class, () -> new CapacityModel(missing).rows());
    }

    private static double cores(CapacityModel m, String item) {
        return Double.parseDouble(m.rows().stream().filter(r -> r.item().equals(item)).findFirst().orElseThrow()
                .result().replace(",", ""));
    }
}
