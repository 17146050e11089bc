package io.keyhook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.keyhook.e2e.RunnerRotateE2ETest.Run;

/**
 * Every {@code ./keyhook} command's help, usage errors and the paths that need no running suite; exit status 0 done, 1
 * refused or failed, 2 wrong usage. (rotate's API paths: {@link RunnerRotateE2ETest}; up, status, demo, logs and down
 * on a suite of their own: {@link RunnerUpE2ETest}.)
 */
class RunnerCommandsE2ETest {

    static final List<String> COMMANDS = List.of("up", "down", "status", "logs", "demo", "rotate");

    @Test
    void helpDescribesEveryCommandAndEachHasItsOwn() throws Exception {
        Path home = Files.createTempDirectory("keyhook-home");
        String help = Run.of(home, "help").ok();
        for (String c : COMMANDS) {
            assertTrue(help.contains("\n  ./keyhook " + c + " "), c + " in:\n" + help);
            String own = Run.of(home, c, "-h").ok();
            assertTrue(own.startsWith("  ./keyhook " + c + " "), c + " -h:\n" + own);
            assertTrue(own.lines().count() <= 7, c + " -h is about " + c + " only:\n" + own);
        }
        assertTrue(help.contains("./keyhook rotate finish <env> <rotationId> [--override \"reason\"]"), help);
        assertTrue(help.contains("./keyhook rotate status <env> [rotationId]"), help);
        assertTrue(help.contains("Exit status: 0 done; 1"), help);
        assertEquals(help, Run.of(home, "--help").ok());
    }

    @Test
    void wrongUsageExitsTwoAndPointsAtTheHelp() throws Exception {
        Path home = Files.createTempDirectory("keyhook-home");
        for (List<String> args : List.<List<String>> of(List.of(), List.of("bogus"), List.of("logs"),
                List.of("logs", "nothing"), List.of("status", "extra"), List.of("rotate", "env-1"),
                List.of("rotate", "finish", "env-1"), List.of("rotate", "finish", "env-1", "sec_notarotation"),
                List.of("rotate", "finish", "env-1", "rot_1", "--override"),
                List.of("rotate", "finish", "env-1", "rot_1", "--override", " \t "),
                List.of("rotate", "finish", "env-1", "rot_1", "--force", "reason"))) {
            Run r = Run.of(home, args.toArray(String[]::new));
            assertEquals(2, r.exit(), args + ": " + r);
            assertTrue(r.err().contains("./keyhook help") || r.err().contains("Exit status"), args + ": " + r);
        }
    }

    @Test
    void statusAndLogsWorkWithoutARunningSuiteAndSaySo() throws Exception {
        Path home = Files.createTempDirectory("keyhook-home");
        String status = Run.of(home, "status").ok();
        assertTrue(status.startsWith("COMPONENT"), status);
        assertTrue(status.contains("token-service") && status.contains("down"), status);

        Run noLog = Run.of(home, "logs", "console");
        assertEquals(1, noLog.exit(), noLog.toString());
        assertTrue(noLog.err().contains("has ./keyhook up run?"), noLog.toString());
        Files.createDirectories(home.resolve("logs"));
        Files.writeString(home.resolve("logs/console.log"), "line one\nline two\n");
        assertEquals("line one\nline two\n", Run.of(home, "logs", "console").ok());

        Run demo = Run.of(home, "demo");
        assertEquals(1, demo.exit(), demo.toString());
        assertTrue(demo.err().contains("./keyhook up first"), demo.toString());
        Run rotate = Run.of(home, "rotate", "status", "env-1");
        assertEquals(1, rotate.exit(), rotate.toString());
        assertTrue(rotate.err().contains("./keyhook up first"), rotate.toString());

        Run down = Run.of(home, "down");
        assertEquals(0, down.exit(), down.toString());
        assertTrue(down.err().contains("Keyhook is down"), down.toString());
    }
}
