package io.keyhook.console.view;

/**
 * What every page shows around its content: who is signed in, the form token, the Environment (null on the picker),
 * which tab is current, and a notice or an error from the last action.
 */
public record Page(String title, String clientId, String csrf, EnvironmentItem env, String nav, String notice,
        String error) {

    public Page withNotice(String n) {
        return new Page(title, clientId, csrf, env, nav, n, error);
    }

    public Page withError(String e) {
        return new Page(title, clientId, csrf, env, nav, notice, e);
    }

    public boolean is(String tab) {
        return tab.equals(nav);
    }
}
