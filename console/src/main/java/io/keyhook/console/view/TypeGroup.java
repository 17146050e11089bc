package io.keyhook.console.view;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Notification types grouped by data type, for the webhook form's checklist. */
public record TypeGroup(String dataType, List<TypeOption> options) {

    /** One checkbox; {@code unavailable}: selected before, but the Configuration no longer offers it. */
    public record TypeOption(String type, String action, boolean checked, boolean unavailable) {
    }

    public static List<TypeGroup> of(Collection<String> offered, Set<String> selected, Collection<String> unavailable) {
        Map<String, List<TypeOption>> groups = new LinkedHashMap<>();
        for (String t : offered) {
            groups.computeIfAbsent(dataType(t), k -> new ArrayList<>())
                    .add(new TypeOption(t, action(t), selected.contains(t), false));
        }
        for (String t : unavailable) {
            groups.computeIfAbsent(dataType(t), k -> new ArrayList<>()).add(new TypeOption(t, action(t), true, true));
        }
        return groups.entrySet().stream().map(e -> new TypeGroup(e.getKey(), e.getValue())).toList();
    }

    private static String dataType(String t) {
        int dot = t.lastIndexOf('.');
        return dot < 0 ? t : t.substring(0, dot);
    }

    private static String action(String t) {
        int dot = t.lastIndexOf('.');
        return dot < 0 ? t : t.substring(dot + 1);
    }
}
