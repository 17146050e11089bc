package io.keyhook.credentials.api;

import java.util.List;

/** One page of the audit trail, newest first; pass {@code nextCursor} as {@code cursor} for the next. */
public record AuditPageResponse(List<AuditEntryResponse> items, String nextCursor) {
}
