package io.planbilling.events;

import io.planbilling.shared.ProblemException;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in the feed: the writing transaction's id and the event's sequence number,
 * as {@code <tx>-<seq>}. Opaque to consumers; {@code 0-0} (or no cursor) is the
 * beginning.
 */
record EventCursor(BigInteger tx, long seq) {

    static final EventCursor START = new EventCursor(BigInteger.ZERO, 0);

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,20})-(\\d{1,19})");

    private static final BigInteger MAX_TX = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);

    static EventCursor parse(String value) {
        Matcher matcher = FORMAT.matcher(value);
        if (!matcher.matches()) {
            throw ProblemException.invalid("after", "is not a cursor of this feed");
        }
        BigInteger tx = new BigInteger(matcher.group(1));
        long seq;
        try {
            seq = Long.parseLong(matcher.group(2));
        }
        catch (NumberFormatException ex) {
            throw ProblemException.invalid("after", "is not a cursor of this feed");
        }
        if (tx.compareTo(MAX_TX) > 0) {
            throw ProblemException.invalid("after", "is not a cursor of this feed");
        }
        return new EventCursor(tx, seq);
    }

    @Override
    public String toString() {
        return tx + "-" + seq;
    }
}
