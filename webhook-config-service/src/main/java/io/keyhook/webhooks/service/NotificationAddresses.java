package io.keyhook.webhooks.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.keyhook.core.error.Problem;
import io.keyhook.core.error.ProblemException;

/**
 * The strict check of an Environment's notification addresses (issue 31). They end up in a message's {@code To} header,
 * so only a bare {@code local@domain} of printable ASCII passes: no display name, no quoted or commented part, no CR,
 * LF, NUL or other control character, no space, no IP literal; at most 64 characters before the {@code @}, 254 in all,
 * DNS labels of at most 63. At most {@link #MAX} addresses, none twice (compared without case).
 */
public final class NotificationAddresses {

    /** Addresses per Environment. */
    public static final int MAX = 10;

    private static final Pattern LOCAL = Pattern
            .compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern TOP_LABEL = Pattern.compile("[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59}");

    private NotificationAddresses() {
    }

    /**
     * The addresses as given, or the refusal: 422 {@code too_many_addresses}, {@code invalid_email} (each bad entry
     * named {@code emails[i]}) or {@code duplicate_email}.
     */
    public static List<String> checked(List<String> emails) {
        if (emails.size() > MAX) {
            throw new ProblemException(422, "too_many_addresses", "Unprocessable request",
                    "At most " + MAX + " notification addresses per Environment");
        }
        List<Problem.FieldError> bad = new ArrayList<>();
        List<Problem.FieldError> twice = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < emails.size(); i++) {
            String e = emails.get(i);
            String why = problemOf(e);
            if (why != null) {
                bad.add(new Problem.FieldError("emails[" + i + "]", why));
            } else if (!seen.add(e.toLowerCase(Locale.ROOT))) {
                twice.add(new Problem.FieldError("emails[" + i + "]", "listed twice"));
            }
        }
        if (!bad.isEmpty()) {
            throw new ProblemException(422, "invalid_email", "Unprocessable request",
                    "Give bare addresses such as ops@example.org; see errors", bad, null);
        }
        if (!twice.isEmpty()) {
            throw new ProblemException(422, "duplicate_email", "Unprocessable request",
                    "An address is listed twice; see errors", twice, null);
        }
        return List.copyOf(emails);
    }

    /** Why {@code address} is refused, or null when it is a bare {@code local@domain} as described above. */
    public static String problemOf(String address) {
        if (address == null || address.isEmpty()) {
            return "must be an e-mail address";
        }
        if (address.length() > 254) {
            return "at most 254 characters";
        }
        int at = address.indexOf('@');
        if (at < 1 || at != address.lastIndexOf('@')) {
            return "must be local@domain, with one @ and no display name";
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (local.length() > 64 || !LOCAL.matcher(local).matches()) {
            return "the part before @ must be at most 64 letters, digits or !#$%&'*+/=?^_`{|}~- with single dots";
        }
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return "the domain must have a dot (e.g. example.org)";
        }
        for (int i = 0; i < labels.length; i++) {
            Pattern p = i == labels.length - 1 ? TOP_LABEL : LABEL;
            if (!p.matcher(labels[i]).matches()) {
                return "the domain must be a host name of letters, digits and hyphens";
            }
        }
        return null;
    }
}
