package io.keyhook.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every curl and CLI command in README.md and docs/*.md is either run by a script or test, or listed as not run with a
 * reason, in docs/examples/commands.tsv. "Run" is checked, not taken on trust: the named file must exist and make the
 * same call (a curl's path, with ids and placeholders as wildcards, and its grant type; a CLI's subcommand words).
 */
class DocsCommandsListedTest {

    static final Path ROOT = DocsLinksTest.ROOT;
    static final Path LIST = ROOT.resolve("docs/examples/commands.tsv");
    static final Pattern FENCE = Pattern.compile("```(\\w*)\\n(.*?)```", Pattern.DOTALL);
    /** A command line: the command first, or its output assigned to a variable ({@code TOKEN=$(curl ...}). */
    static final Pattern COMMAND = Pattern
            .compile("^([A-Z_]+=\\$\\()?(curl|\\./keyhook|kcat|\\./mvnw|kubectl|promtool|vault|bench/)\\b.*");
    /** The URL argument of a curl: a shell variable, then the path. */
    static final Pattern URL = Pattern.compile("\"?\\$\\{?[A-Z_]+\\}?(/[^\"\\s]*|\\?[^\"\\s]*)?\"?");
    static final Pattern GRANT = Pattern.compile("grant_type=([^\\s\"']+)");

    /** The documented commands, as "page<TAB>first line" (whitespace collapsed, trailing comment dropped). */
    static List<String> documented() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (var s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> out = new ArrayList<>();
        for (Path page : pages) {
            Matcher m = FENCE.matcher(Files.readString(page));
            while (m.find()) {
                if (!List.of("bash", "sh", "shell", "console", "").contains(m.group(1))) {
                    continue;
                }
                for (String line : m.group(2).split("\n")) {
                    String l = line.strip();
                    l = l.startsWith("$ ") ? l.substring(2) : l;
                    if (COMMAND.matcher(l).matches()) {
                        l = l.replaceAll("\\s+#.*$", "").replaceAll("\\\\$", "").strip().replaceAll("\\s+", " ");
                        out.add(ROOT.relativize(page) + "\t" + l);
                    }
                }
            }
        }
        return out;
    }

    static Map<String, String> listed() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(LIST)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            assertEquals(3, f.length, "page, command, coverage: " + line);
            out.put(f[0] + "\t" + f[1], f[2]);
        }
        return out;
    }

    @Test
    void everyDocumentedCommandIsRunOrListedWithAReason() throws IOException {
        List<String> documented = documented();
        assertTrue(documented.size() >= 30, "found the commands: " + documented);
        Map<String, String> listed = listed();
        List<String> problems = new ArrayList<>();
        for (String command : documented) {
            String coverage = listed.get(command);
            if (coverage == null) {
                problems.add("not in docs/examples/commands.tsv: " + command);
            } else if (coverage.startsWith("run: ")) {
                String why = runs(Path.of(coverage.substring(5).strip()), command.split("\t")[1]);
                if (why != null) {
                    problems.add(command + ": " + why);
                }
            } else if (!coverage.startsWith("not run") || coverage.length() < 30) {
                problems.add(command + ": say what runs it (run: <file>) or why nothing does (not run: <reason>)");
            }
        }
        listed.keySet().stream().filter(k -> !documented.contains(k))
                .forEach(k -> problems.add("docs/examples/commands.tsv lists a command no page shows: " + k));
        assertEquals(List.of(), problems);
    }

    @Test
    void aRunnerThatDoesNotMakeTheCallIsCaught() throws IOException {
        assertTrue(runs(Path.of("docs/examples/walkthrough.sh"),
                "curl -s \"${H[@]}\" -X POST $W/webhooks/wh_…/pause") == null);
        assertTrue(runs(Path.of("docs/examples/walkthrough.sh"),
                "curl -s \"${H[@]}\" -X POST $W/webhooks/wh_…/explode") != null);
        assertTrue(runs(Path.of("docs/examples/walkthrough.sh"),
                "curl -s -d grant_type=password \"$KEYHOOK_TOKEN_URL\"") != null);
        assertTrue(runs(Path.of("docs/examples/nothing-here.sh"), "curl -s \"$KEYHOOK_TOKEN_URL\"") != null);
    }

    /** Null when {@code runner} makes the call {@code command} shows; otherwise what is missing. */
    static String runs(Path runner, String command) throws IOException {
        Path file = ROOT.resolve(runner);
        if (!Files.isRegularFile(file)) {
            return runner + " does not exist";
        }
        String text = Files.readString(file);
        command = command.replaceFirst("^[A-Z_]+=\\$\\(", "");
        if (command.startsWith("curl")) {
            Matcher g = GRANT.matcher(command);
            while (g.find()) {
                if (!text.contains(g.group(1))) {
                    return runner + " never uses grant_type=" + g.group(1);
                }
            }
            Matcher u = URL.matcher(command.substring(4));
            String path = null;
            while (u.find()) {
                path = u.group(1); // the last URL-like argument is the request's
            }
            if (path != null && !path.isEmpty()) {
                Pattern call = Pattern.compile(wildcards(path));
                if (!call.matcher(text).find()) {
                    return runner + " never calls " + path;
                }
            }
            return null;
        }
        for (String word : command.split(" ")) {
            if (word.matches("[a-z][a-z-]*") && !text.contains("\"" + word + "\"") && !text.contains(" " + word)) {
                return runner + " never runs the word " + word;
            }
        }
        return null;
    }

    /** A documented path as a pattern: ids ("wh_…", "sec_A…") and placeholders ("<env>") match any segment. */
    static String wildcards(String path) {
        StringBuilder out = new StringBuilder();
        for (String part : path.split("(?=[/?&])")) {
            String sep = part.isEmpty() ? "" : part.substring(0, 1);
            String seg = part.isEmpty() ? "" : part.substring(1);
            boolean placeholder = seg.contains("…") || seg.startsWith("<") || seg.startsWith("$")
                    || seg.matches("[a-z]+_[A-Za-z0-9]+");
            out.append(Pattern.quote(sep)).append(placeholder ? "[^/\"\\s?]+" : Pattern.quote(seg));
        }
        return out.toString();
    }
}
