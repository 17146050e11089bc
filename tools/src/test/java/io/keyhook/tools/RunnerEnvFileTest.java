package io.keyhook.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * {@code .keyhook/env} describes the running local suite for a user's shell, and the README says to source it. So none
 * of its names may be a choice of the runner (a sourced shell would steer the next {@code ./keyhook up}) or reach the
 * tests ({@code ./mvnw verify} in that shell would run against the local suite): the runner reads none of them, and
 * surefire keeps every one out of the test JVMs.
 */
class RunnerEnvFileTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** The lines of deploy/local/keyhook.sh that write {@code export NAME=...} into the env file. */
    static final Pattern WRITTEN = Pattern.compile("(?:echo \"|printf ['\"])export (KEYHOOK_[A-Z_]+)=");
    static final Pattern EXCLUDED = Pattern
            .compile("<excludedEnvironmentVariables>(.*?)</excludedEnvironmentVariables>", Pattern.DOTALL);

    @Test
    void theRunnerReadsNoNameItsEnvFileExports() throws IOException {
        String runner = runner();
        Set<String> read = new TreeSet<>();
        for (String name : exported(runner)) {
            if (runner.contains("${" + name + ":") || runner.contains("${" + name + "}")) {
                read.add(name);
            }
        }
        assertEquals(Set.of(), read, "names .keyhook/env exports that the runner also takes as settings");
    }

    @Test
    void theTestsNeverSeeANameTheEnvFileExports() throws IOException {
        Matcher m = EXCLUDED.matcher(Files.readString(ROOT.resolve("pom.xml")));
        Set<String> excluded = new TreeSet<>();
        while (m.find()) {
            excluded.addAll(List.of(m.group(1).replaceAll("<[^>]+>", " ").trim().split("\\s+")));
        }
        Set<String> missing = new TreeSet<>(exported(runner()));
        missing.removeAll(excluded);
        assertEquals(Set.of(), missing,
                "names .keyhook/env exports that surefire's excludedEnvironmentVariables (root pom.xml) lets through");
    }

    static String runner() throws IOException {
        return Files.readString(ROOT.resolve("deploy/local/keyhook.sh"));
    }

    static Set<String> exported(String runner) {
        Set<String> names = new TreeSet<>();
        Matcher m = WRITTEN.matcher(runner);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertTrue(
                names.containsAll(Set.of("KEYHOOK_TOKEN_URL", "KEYHOOK_KAFKA_BOOTSTRAP",
                        "KEYHOOK_KAFKA_SECURITY_PROTOCOL", "KEYHOOK_OPERATOR_CLIENT_SECRET")),
                "found the env file's names: " + names);
        return names;
    }
}
