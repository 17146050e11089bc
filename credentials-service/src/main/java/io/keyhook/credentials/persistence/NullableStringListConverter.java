package io.keyhook.credentials.persistence;

import java.util.Arrays;
import java.util.List;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * As {@link StringListConverter}, but a null column stays null: for lists where null means "not set" and differs from
 * empty (a client's scopes: null = the default, any scope of the Configuration). Hibernate hands the converter the null
 * column, and {@link StringListConverter} would make it an empty list.
 */
@Converter
public class NullableStringListConverter implements AttributeConverter<List<String>, String> {

    @Override
    public String convertToDatabaseColumn(List<String> values) {
        return values == null ? null : String.join(",", values);
    }

    @Override
    public List<String> convertToEntityAttribute(String column) {
        if (column == null) {
            return null;
        }
        return column.isEmpty() ? List.of() : Arrays.asList(column.split(","));
    }
}
