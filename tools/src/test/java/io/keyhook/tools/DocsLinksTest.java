package io.keyhook.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The documentation cannot point at nothing: every relative link in the README files and docs/ resolves to a file or
 * directory of the repository, and every {@code bench/...} or {@code ./keyhook ...} command the docs name exists.
 */
class DocsLinksTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
    static final Pattern SCRIPT = Pattern.compile("`(bench/[a-z]+/run)");
    static final Pattern RUNNER = Pattern.compile("\\./keyhook ([a-z]+)");

    @Test
    void everyRelativeLinkAndScriptInTheDocsExists() throws IOException {
        List<Path> pages = pages();
        assertTrue(pages.size() >= 15, "found the pages: " + pages);
        String runner = Files.readString(ROOT.resolve("deploy/local/keyhook.sh"));
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            String text = Files.readString(page);
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("mailto:")) {
                    continue;
                }
                if (!Files.exists(page.getParent().resolve(target).normalize())) {
                    broken.add(ROOT.relativize(page) + " -> " + target);
                }
            }
            Matcher s = SCRIPT.matcher(text);
            while (s.find()) {
                if (!Files.isExecutable(ROOT.resolve(s.group(1)))) {
                    broken.add(ROOT.relativize(page) + " names " + s.group(1) + ", which is not an executable script");
                }
            }
            Matcher r = RUNNER.matcher(text);
            while (r.find()) {
                if (!runner.contains("  " + r.group(1) + ")") && !runner.contains("  " + r.group(1) + " |")) {
                    broken.add(ROOT.relativize(page) + " names ./keyhook " + r.group(1) + ", which the runner lacks");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    /** A path in backticks under one of the repository's top-level folders, e.g. `deploy/k8s/base/kafka-users.yaml`. */
    static final Pattern FILE = Pattern.compile(
            "`((?:common|credentials-service|token-service|webhook-config-service|webhook-dispatcher|console|tools"
                    + "|e2e-tests|bench|deploy|docs)/[A-Za-z0-9_./-]+\\.[a-z]{1,10})`");

    @Test
    void noPageMentionsAFileTheRepositoryDoesNotHave() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path page : pages()) {
            Matcher m = FILE.matcher(Files.readString(page));
            while (m.find()) {
                if (!Files.exists(ROOT.resolve(m.group(1)))) {
                    missing.add(ROOT.relativize(page) + " mentions " + m.group(1));
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    /**
     * What a reader has is the repository: the docs stand on their own (no SPEC.md they do not have, no "once it
     * lands"), and say one thing about each fact (5 active secrets per client, 3 per webhook; a verifier and a
     * ciphertext, not "a hash").
     */
    @Test
    void theDocsHaveNoDeadReferencesOrContradictions() throws IOException {
        List<Path> pages = pages();
        try (Stream<Path> templates = Files.walk(ROOT.resolve("console/src/main/resources/templates"))) {
            templates.filter(p -> p.toString().endsWith(".html")).forEach(pages::add);
        }
        List<String> found = new ArrayList<>();
        for (Path page : pages) {
            String text = Files.readString(page);
            for (String wrong : List.of("SPEC.md", "once it lands", "only a hash", "up to 3 active secrets",
                    "3 active secrets")) {
                if (text.contains(wrong)) {
                    found.add(ROOT.relativize(page) + ": \"" + wrong + "\"");
                }
            }
        }
        assertEquals(List.of(), found);
    }

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        try (Stream<Path> readmes = Files.walk(ROOT, 4)) {
            readmes.filter(p -> p.getFileName().toString().equals("README.md"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/node_modules/")
                            && !p.toString().contains("/.keyhook/"))
                    .forEach(pages::add);
        }
        return pages;
    }
}
