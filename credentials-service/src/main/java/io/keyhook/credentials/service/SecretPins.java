package io.keyhook.credentials.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import io.keyhook.core.error.Problem;
import io.keyhook.core.error.ProblemException;
import io.keyhook.credentials.api.LeaseDisclosure;
import io.keyhook.credentials.persistence.SecretEntity;

/**
 * Pins token-exchange secrets to the one site they were sent to. A secret sent to a receiver's token endpoint is known
 * there for good, so the pin is set on its first token-exchange lease and never cleared; a lease that would send it to
 * another site is refused. Works on secrets the caller holds row-locked, so of two leases racing for one fresh secret
 * the second sees the first one's pin.
 */
final class SecretPins {

    private SecretPins() {
    }

    /** The disclosure names only secrets of the lease (the rest of the lease is checked elsewhere). */
    static void checkNamesLeased(List<String> leased, LeaseDisclosure disclosure) {
        if (disclosure == null) {
            return;
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < disclosure.secretIds().size(); i++) {
            if (!leased.contains(disclosure.secretIds().get(i))) {
                errors.add(new Problem.FieldError("disclosure.secretIds[" + i + "]", "not one of secretIds"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(422, "validation_failed", "Invalid request",
                    "A disclosure names only secrets of the lease", errors, null);
        }
    }

    /**
     * Pins each disclosed secret of {@code locked} to the disclosure's site, or refuses (422
     * {@code secret_pinned_elsewhere}, {@code disclosedTo}: secret id → site) if any is pinned to another one.
     */
    static void pin(List<SecretEntity> locked, LeaseDisclosure disclosure) {
        if (disclosure == null) {
            return;
        }
        Map<String, String> elsewhere = new LinkedHashMap<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        List<SecretEntity> disclosed = new ArrayList<>();
        for (int i = 0; i < disclosure.secretIds().size(); i++) {
            String id = disclosure.secretIds().get(i);
            SecretEntity s = locked.stream().filter(x -> x.id.equals(id)).findFirst().orElseThrow();
            if (s.disclosedTo != null && !s.disclosedTo.equals(disclosure.site())) {
                elsewhere.put(id, s.disclosedTo);
                errors.add(new Problem.FieldError("disclosure.secretIds[" + i + "]", "secret " + id + " was sent to "
                        + s.disclosedTo + " for token exchange and may go to no other site"));
            }
            disclosed.add(s);
        }
        if (!elsewhere.isEmpty()) {
            throw new ProblemException(422, "secret_pinned_elsewhere", "Unprocessable request",
                    "A token-exchange secret is sent only to the site it was first sent to (here "
                            + String.join(", ", new LinkedHashSet<>(elsewhere.values())) + "), not to "
                            + disclosure.site() + ": create a new secret for the receiver on " + disclosure.site(),
                    errors, Map.of("disclosedTo", elsewhere));
        }
        // a managed entity: the pin commits with the lease
        disclosed.stream().filter(s -> s.disclosedTo == null).forEach(s -> s.disclosedTo = disclosure.site());
    }
}
