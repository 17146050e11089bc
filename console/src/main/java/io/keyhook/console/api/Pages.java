package io.keyhook.console.api;

import java.net.URI;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;

import io.keyhook.console.client.Api;
import io.keyhook.console.client.ApiResult;
import io.keyhook.console.service.SessionStore;
import io.keyhook.console.view.EnvironmentItem;
import io.keyhook.console.view.Flash;
import io.keyhook.console.view.NewSecret;
import io.keyhook.console.view.Page;

/** The frame of a page inside an Environment: the session's checks, then the Environment as the API shows it. */
@RequestScoped
public class Pages {

    @Inject
    CurrentSession session;

    @Inject
    Api api;

    @Inject
    SessionStore store;

    private Flash flash;
    private boolean flashTaken;

    /** The page of {@code env}; 404 for an Environment the admin may not touch or that does not exist. */
    public Page of(String env, String nav, String title) {
        session.mayTouch(env);
        ApiResult r = api.get(session.token(), api.credentials("/api/v1/environments/" + Api.enc(env)));
        if (!r.ok()) {
            throw new NotFoundException();
        }
        return new Page(title, session.get().clientId(), session.get().csrf(), EnvironmentItem.of(r.json()), nav, null,
                flashError());
    }

    /** A page outside any Environment (the picker). */
    public Page plain(String title) {
        return new Page(title, session.get().clientId(), session.get().csrf(), null, "environments", null,
                flashError());
    }

    /** The form token check every POST starts with. */
    public void form(String csrf) {
        session.checkCsrf(csrf);
    }

    /** Shows {@code secret} on the next page of this session, once. */
    public void showOnce(NewSecret secret) {
        store.showOnce(session.get().id(), secret);
    }

    /** The secret to show on this page, if the form before the redirect created one. */
    public NewSecret takeShownOnce() {
        return store.takeShownOnce(session.get().id());
    }

    /**
     * A failed POST: keeps the error for the next page and sends the browser there (303), so it lands on a real page
     * that a reload shows again, never on the action's URL.
     */
    public Response failed(String location, String error) {
        return failed(location, new Flash(error, null, null));
    }

    /** The same for a form: its field errors and the values it was sent with come back on {@code location}. */
    public Response failed(String location, Flash flash) {
        store.flash(session.get().id(), flash);
        return Response.seeOther(URI.create(location)).build();
    }

    /** A POST's outcome (not an error) for the page at {@code location}, which a reload shows again (303). */
    public Response redirect(String location, Flash outcome) {
        return failed(location, outcome);
    }

    /** What the POST before the redirect left for this page (null when none). */
    public Flash flash() {
        if (!flashTaken) {
            flashTaken = true;
            flash = store.takeFlash(session.get().id());
        }
        return flash;
    }

    private String flashError() {
        Flash f = flash();
        return f == null ? null : f.error();
    }

    public String token() {
        return session.token();
    }
}
