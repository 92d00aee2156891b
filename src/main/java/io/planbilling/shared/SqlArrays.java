package io.planbilling.shared;

import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** PostgreSQL arrays read back from a result set. */
public final class SqlArrays {

    private SqlArrays() {
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
