package io.planbilling.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.ProblemException;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The feed's cursor ({@code <tx>-<seq>}), without Spring or a database. */
class EventCursorTest {

    @Test
    void readsBackWhatItWrites() {
        EventCursor cursor = new EventCursor(new BigInteger("18446744073709551615"), Long.MAX_VALUE);

        assertThat(EventCursor.parse(cursor.toString())).isEqualTo(cursor);
        assertThat(EventCursor.parse("0-0")).isEqualTo(EventCursor.START);
        assertThat(EventCursor.parse("0012-034")).isEqualTo(new EventCursor(BigInteger.valueOf(12), 34));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "not-a-cursor", "12", "12-", "-3", "1-2-3", "1.5-2", "-1-2", "1--2", " 1-2",
            "18446744073709551616-1", "99999999999999999999999-1", "1-9223372036854775808", "1-99999999999999999999" })
    void refusesAnythingElseAsTheAfterParameter(String value) {
        ProblemException refused = catchThrowableOfType(ProblemException.class, () -> EventCursor.parse(value));

        assertThat(refused).as(value).isNotNull();
        assertThat(refused.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(refused.violations()).singleElement()
            .satisfies(violation -> assertThat(violation.field()).isEqualTo("after"));
    }

}
