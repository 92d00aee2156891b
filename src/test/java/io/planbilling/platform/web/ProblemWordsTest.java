package io.planbilling.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.shared.Caller;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a value must look like, in the API's words rather than Java's: the message of a
 * field that could not be read ({@code ProblemHandling}), without Spring.
 */
class ProblemWordsTest {

    static List<Arguments> words() {
        return List.of(Arguments.of(UUID.class, "must be a UUID"),
                Arguments.of(Instant.class, "must be an ISO-8601 instant such as 2026-11-22T08:30:00Z"),
                Arguments.of(OffsetDateTime.class, "must be an ISO-8601 instant such as 2026-11-22T08:30:00Z"),
                Arguments.of(YearMonth.class, "must be a year and month such as 2026-11"),
                Arguments.of(Boolean.class, "must be true or false"),
                Arguments.of(boolean.class, "must be true or false"),
                Arguments.of(Integer.class, "must be a whole number"),
                Arguments.of(long.class, "must be a whole number"), Arguments.of(short.class, "must be a whole number"),
                Arguments.of(BigInteger.class, "must be a whole number"),
                Arguments.of(BigDecimal.class, "must be a number"), Arguments.of(double.class, "must be a number"),
                Arguments.of(Double.class, "must be a number"), Arguments.of(String.class, "must be a string"),
                Arguments.of(List.class, "must be an array"), Arguments.of(String[].class, "must be an array"),
                Arguments.of(Map.class, "must be an object"), Arguments.of(Caller.class, "must be an object"));
    }

    @ParameterizedTest
    @MethodSource("words")
    void namesWhatAValueOfEachTypeMustBe(Class<?> type, String expected) {
        assertThat(RequestErrors.expected(type)).isEqualTo(expected);
    }

    @Test
    void namesTheAllowedValuesOfAnEnumInOrder() {
        assertThat(RequestErrors.expected(Caller.Role.class)).isEqualTo("must be one of OPERATOR, ACCOUNT");
    }

    @Test
    void saysOnlyThatAValueOfAnUnknownTypeIsInvalid() {
        assertThat(RequestErrors.expected(null)).isEqualTo("is not a valid value");
    }

}
