package io.keyhook.common.security;

import java.util.regex.Pattern;

import io.keyhook.core.id.Ids;

/**
 * Fired when an authenticated caller is refused (403) before any service code runs, so each service can audit the
 * attempt. Unauthenticated requests (401) are not audited: they have no "who", and recording them would let anyone fill
 * the audit trail.
 */
public record AccessRefused(String subject, String method, String path) {

    private static final Pattern ENVIRONMENT_PATH = Pattern
            .compile("^/api/v1/environments/(" + Ids.ENVIRONMENT_BODY + ")(/.*)?$");

    /** The Environment the request was about, when its path names one. */
    public String environmentId() {
        var m = ENVIRONMENT_PATH.matcher(path == null ? "" : path);
        return m.matches() ? m.group(1) : null;
    }
}
