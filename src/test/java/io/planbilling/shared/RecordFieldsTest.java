package io.planbilling.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A record's time reads exactly as {@link Instant#parse} reads it, whichever path reads
 * it.
 */
class RecordFieldsTest {

    static @Nullable Instant byTheJdk(String value) {
        try {
            return Instant.parse(value);
        }
        catch (DateTimeParseException ex) {
            return null;
        }
    }

    @Test
    void instantsInEveryFractionLengthReadAsTheJdkReadsThem() {
        Random random = new Random(20261206);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L),
                    random.nextInt(1_000_000_000));
            String full = instant.toString();
            String seconds = full.substring(0, 19);
            String fraction = String.format("%09d", instant.getNano());
            for (int digits = 0; digits <= 9; digits++) {
                String value = seconds + (digits == 0 ? "" : "." + fraction.substring(0, digits)) + "Z";
                assertThat(RecordFields.instant(value)).as(value).isEqualTo(byTheJdk(value)).isNotNull();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "2026-11-22T08:30:00Z", "2024-02-29T23:59:59.999999999Z", "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.5Z", "2026-11-22T08:30:00+08:00", "2026-11-22T08:30:00.123+01:00",
            "2016-12-31T23:59:60Z", "+12026-11-22T08:30:00Z", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T23:60:00Z", "2026-11-22T08:30:00.Z",
            "2026-11-22T08:30:00.1234567890Z", "2026-11-22t08:30:00Z", "2026-11-22T08:30:00z", "2026-11-22T08:30:00",
            "2026-11-22 08:30:00Z", "2026-1-22T08:30:00Z", "2026-11-22T08:30:0xZ", "2026-11-22T08:30:00.12a4Z",
            "-001-11-22T08:30:00Z", "", "not a time" })
    void edgeCasesAndBadValuesReadAsTheJdkReadsThem(String value) {
        assertThat(RecordFields.instant(value)).isEqualTo(byTheJdk(value));
    }

}
