package io.keyhook.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian packages a test needs (kcat; the console's Chromium; Prometheus's promtool): installed with apt-get when the
 * command is missing, so a fresh machine needs nothing by hand. Fails loudly when it cannot install; never skips.
 */
public final class SystemPackages {

    private SystemPackages() {
    }

    /** Makes sure {@code command} is on the PATH, installing {@code debianPackage} if it is not. */
    public static synchronized void ensure(String command, String debianPackage)
            throws IOException, InterruptedException {
        if (run(List.of("bash", "-c", "command -v " + command)) == 0) {
            return;
        }
        List<String> sudo = run(List.of("bash", "-c", "[ \"$(id -u)\" = 0 ]")) == 0 ? List.of() : List.of("sudo", "-n");
        List<String> update = new ArrayList<>(sudo);
        update.addAll(List.of("apt-get", "update", "-qq"));
        List<String> install = new ArrayList<>(sudo);
        install.addAll(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", debianPackage));
        run(update);
        if (run(install) != 0 || run(List.of("bash", "-c", "command -v " + command)) != 0) {
            throw new IllegalStateException("'" + command + "' is missing and apt-get could not install the Debian"
                    + " package " + debianPackage + "; install it (apt-get install " + debianPackage + ") and rerun");
        }
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        if (p.exitValue() != 0 && command.contains("install")) {
            System.out.println(out);
        }
        return p.exitValue();
    }
}
