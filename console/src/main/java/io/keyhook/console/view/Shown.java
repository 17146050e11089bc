package io.keyhook.console.view;

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

    private Shown() {
    }

    public static String shown(String s) {
        return s == null ? "" : UNSHOWABLE.matcher(s).replaceAll("\uFFFD");
    }
}
