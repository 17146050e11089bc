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

    private static String normalise(String s) {
        return s.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce("", (a, b) -> a + b + "\n");
    }
}
