package io.planbilling.shared;

import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * PostgreSQL arrays: bound as parameters (elements as text, cast in the statement) and
 * read back from a result set.
 */
public final class SqlArrays {

    private SqlArrays() {
    }

    /**
     * Ids as a {@code uuid[]} parameter's elements (bound as text, cast with
     * {@code CAST(:ids AS uuid[])}).
     */
    public static String[] uuids(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }

    /** An {@code integer[]} (or any numeric array) as a list of ints, in array order. */
    public static List<Integer> integers(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        List<Integer> integers = new ArrayList<>(values.length);
        for (Object value : values) {
            integers.add(((Number) value).intValue());
        }
        return integers;
    }

}
