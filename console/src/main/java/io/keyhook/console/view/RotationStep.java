package io.keyhook.console.view;

import java.util.List;

/** One of the seven steps of SPEC.md section 7, and where it stands in a guided rotation. */
public record RotationStep(int number, String title, String state, String detail) {

    public boolean done() {
        return "done".equals(state);
    }

    public boolean current() {
        return "now".equals(state);
    }

    /**
     * The steps for {@code r}; {@code newSecretUsed}: whether the App has got a token with the new secret yet.
     */
    public static List<RotationStep> of(RotationItem r, boolean newSecretUsed) {
        boolean overlapping = r.overlapping();
        boolean finishing = r.finishing();
        boolean done = r.done();
        String webhooks = r.webhooks();
        return List.of(
                new RotationStep(1, "Create a new secret for the client", "done",
                        "Secret " + r.newSecretId() + " was created and works now, alongside " + r.oldSecretId() + "."),
                new RotationStep(2, "Your App starts using the new secret", newSecretUsed || done ? "done" : "now",
                        newSecretUsed ? "Tokens have been issued with the new secret."
                                : "Give the new secret to your App. Until it asks for a token with it, this step"
                                        + " stays open; nothing breaks meanwhile."),
                new RotationStep(3, "Your receiver adds the new secret to the keys it accepts",
                        overlapping ? "now" : "done",
                        "Webhooks that signed with the old secret (" + webhooks + ") now sign with both, so your"
                                + " receiver can add the new key without missing a delivery. Accept a message if"
                                + " either key verifies."),
                new RotationStep(4, "Invalidate the old secret", done ? "done" : finishing ? "now" : "waiting",
                        "Refused while a webhook still signs with it, so Keyhook first does step 5."
                                + (r.lastError() == null ? "" : " Last attempt: " + r.lastError())),
                new RotationStep(5, "Switch the webhooks to the new secret",
                        done ? "done" : finishing ? "now" : "waiting",
                        "On finish, Keyhook removes the old secret from " + webhooks + ", then invalidates it:"
                                + " it stops issuing tokens and its tokens stop working."),
                new RotationStep(6, "Your receiver drops the old key", done ? "now" : "waiting",
                        "Once the rotation is done, no delivery is signed with the old secret any more."),
                new RotationStep(7, "Done", done ? "done" : "waiting",
                        done ? "The rotation is complete." : "The rotation finishes when you confirm"
                                + (r.finishAfter().isEmpty() ? "" : ", or on its own at " + r.finishAfter()) + "."));
    }
}
