package io.keyhook.console.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TypeGroupTest {

    @Test
    void groupsTypesByDataTypeWithOnlyTheChosenOnesTickedAndUnofferedOnesMarked() {
        List<TypeGroup> groups = TypeGroup.of(List.of("patients.created", "patients.updated", "appointments.created"),
                Set.of("patients.updated"), List.of("invoices.created"));
        assertEquals(List.of("patients", "appointments", "invoices"),
                groups.stream().map(TypeGroup::dataType).toList());
        var patients = groups.get(0).options();
        assertEquals(List.of("created", "updated"), patients.stream().map(TypeGroup.TypeOption::action).toList());
        assertFalse(patients.get(0).checked(), "new types are never ticked for you");
        assertTrue(patients.get(1).checked());
        var invoices = groups.get(2).options().get(0);
        assertTrue(invoices.unavailable() && invoices.checked());
    }
}
