package io.keyhook.credentials.api;

import java.util.List;

/** A client's key rotations, newest first. */
public record KeyRotationsResponse(List<KeyRotationResponse> items) {
}
