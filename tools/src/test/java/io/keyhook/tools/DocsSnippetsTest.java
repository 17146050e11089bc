package io.keyhook.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The Java producer shown in docs/publishing-events.md is, line for line, the compiled {@code PublishExample}. */
class DocsSnippetsTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void thePublishingSnippetIsTheCompiledExample() throws Exception {
        String code = Files
                .readString(ROOT.resolve("tools/src/main/java/io/keyhook/tools/examples/PublishExample.java"));
        String compiled = code.substring(code.indexOf("// docs:begin") + "// docs:begin".length(),
                code.indexOf("// docs:end"));
        String page = Files.readString(ROOT.resolve("docs/publishing-events.md"));
        int start = page.indexOf("```java\n") + "```java\n".length();
        String shown = page.substring(start, page.indexOf("```", start));
        assertEquals(normalise(compiled), normalise(shown),
                "docs/publishing-events.md must show PublishExample's code (between docs:begin and docs:end)");
    }

    @Test
    void theReceiversJavaIsTheCompiledExamples() throws Exception {
        java.util.List<String> shown = blocks(Files.readString(ROOT.resolve("docs/verifying-webhooks.md")), "java");
        assertEquals(4, shown.size(), "docs/verifying-webhooks.md shows the receiver and three Java checks");
        String[][] names = { { "ReceiverExample", "receiver" }, { "VerifyExamples", "standard-webhooks" },
                { "VerifyExamples", "jwt-bearer" }, { "VerifyExamples", "v1a" } };
        for (int i = 0; i < names.length; i++) {
            String code = Files
                    .readString(ROOT.resolve("tools/src/main/java/io/keyhook/tools/examples/" + names[i][0] + ".java"));
            String begin = "// docs:begin " + names[i][1];
            int from = code.indexOf(begin) + begin.length();
            String compiled = code.substring(from, code.indexOf("// docs:end", from));
            assertEquals(normalise(compiled), normalise(shown.get(i)), "docs/verifying-webhooks.md's " + names[i][1]
                    + " Java must be " + names[i][0] + "'s code (between docs:begin and docs:end)");
        }
    }

    /** Issue 30: the resource-server Java of authenticating.md is the compiled ResourceServerExamples. */
    @Test
    void theResourceServersJavaIsTheCompiledExamples() throws Exception {
        String page = Files.readString(ROOT.resolve("docs/authenticating.md"));
        int from = page.indexOf("## Validating tokens in your API");
        String section = page.substring(from, page.indexOf("\n## ", from + 1));
        java.util.List<String> shown = blocks(section, "java");
        assertEquals(2, shown.size(), "authenticating.md's \"Validating tokens in your API\" shows Spring and Nimbus");
        String code = Files
                .readString(ROOT.resolve("tools/src/main/java/io/keyhook/tools/examples/ResourceServerExamples.java"));
        String[] names = { "spring", "nimbus" };
        for (int i = 0; i < names.length; i++) {
            String begin = "// docs:begin " + names[i];
            int at = code.indexOf(begin) + begin.length();
            assertEquals(normalise(code.substring(at, code.indexOf("// docs:end", at))), normalise(shown.get(i)),
                    "authenticating.md's " + names[i] + " Java must be ResourceServerExamples' code");
        }
    }

    /** The fenced blocks of {@code language} on a page, in order. */
    static java.util.List<String> blocks(String page, String language) {
        java.util.List<String> out = new java.util.ArrayList<>();
        String fence = "```" + language + "\n";
        int at = page.indexOf(fence);
        while (at >= 0) {
            int start = at + fence.length();
            int end = page.indexOf("```", start);
            out.add(page.substring(start, end));
            at = page.indexOf(fence, end + 3);
        }
        return out;
    }

    /** The code without its layout: the page may wrap lines differently from the formatter. */
    private static String normalise(String s) {
        return s.replaceAll("\\s+", "");
    }
}
