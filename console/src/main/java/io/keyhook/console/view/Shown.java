package io.keyhook.console.view;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import io.quarkus.qute.TemplateExtension;

/**
 * Text an API gave (a kid, a name, a check's detail) as the page shows it: Qute already escapes HTML; this also turns
 * control characters and the bidirectional overrides, which could hide or reorder what a person reads, into U+FFFD.
 * Used as {@code {value.shown}} in the templates.
 */
@TemplateExtension
public final class Shown {

    private static final Pattern UNSHOWABLE = Pattern
            .compile("[\\p{Cntrl}\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]");

    private static final Pattern UNSHOWABLE_IN_BLOCK = Pattern
            .compile("[\\p{Cntrl}&&[^\\n\\t]]|[\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]");

    private Shown() {
    }

    public static String shown(String s) {
        return s == null ? "" : UNSHOWABLE.matcher(s).replaceAll("\uFFFD");
    }

    /** Text from an API as one query parameter value of a link ({@code ?id={value.param}}): URL-encoded. */
    public static String param(String s) {
        return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * The same for a block of text such as a receiver's answer, shown in {@code
     *
     *

    <pre>
     * }: its line breaks and tabs stay, every other control character (a carriage return or an escape sequence too)
     * becomes U+FFFD.
     */
    public static String shownBlock(String s) {
        return s == null ? "" : UNSHOWABLE_IN_BLOCK.matcher(s).replaceAll("\uFFFD");
    }
}
