package io.planbilling.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    private static final String START = "<!-- error-codes:start (generated from ErrorCode; ErrorCodeTest checks it) -->";

    private static final String END = "<!-- error-codes:end -->";

    @Test
    void titlesAndTypeUrisDeriveFromTheCode() {
        assertThat(ErrorCode.DEVICE_LIMIT_EXCEEDED.title()).isEqualTo("Device limit exceeded");
        assertThat(ErrorCode.DEVICE_LIMIT_EXCEEDED.type())
            .hasToString("https://billing.example/problems/device-limit-exceeded");
        assertThat(ErrorCode.NOT_FOUND.title()).isEqualTo("Not found");
    }

    @Test
    void everyCodeIsAnErrorStatusWithAUniqueTitleTypeAndMeaning() {
        assertThat(ErrorCode.values()).allSatisfy(code -> {
            assertThat(code.status()).as("%s", code).isBetween(400, 599);
            assertThat(code.httpStatus().value()).isEqualTo(code.status());
            assertThat(code.meaning()).as("%s", code).isNotBlank();
        });
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::type).distinct())
            .hasSize(ErrorCode.values().length);
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::title).distinct())
            .hasSize(ErrorCode.values().length);
    }

    @Test
    void aBareStatusGetsThePlatformCodeOfThatStatusOrTheGenericOneOfItsClass() {
        for (int status : new int[] { 400, 401, 403, 404, 405, 406, 409, 413, 415, 429, 500, 503 }) {
            assertThat(ErrorCode.forStatus(status).status()).as("%d", status).isEqualTo(status);
        }
        assertThat(ErrorCode.forStatus(400)).isEqualTo(ErrorCode.MALFORMED_REQUEST);
        assertThat(ErrorCode.forStatus(409)).isEqualTo(ErrorCode.CONFLICT);
        assertThat(ErrorCode.forStatus(408)).isEqualTo(ErrorCode.MALFORMED_REQUEST);
        assertThat(ErrorCode.forStatus(505)).isEqualTo(ErrorCode.INTERNAL_ERROR);
    }

    @Test
    void refusalsOfAClosedSetNameEveryAllowedValue() {
        ProblemException refused = ProblemException.notOneOf("region",
                java.util.List.of("GUANGZHOU", "SILICON_VALLEY"));

        assertThat(refused.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(refused.violations()).singleElement()
            .isEqualTo(new FieldViolation("region", "must be one of GUANGZHOU, SILICON_VALLEY"));
    }

    /** The errors table of docs/api-guide.md is the catalogue, row for row. */
    @Test
    void theApiGuideListsEveryCodeWithItsStatusAndMeaning() throws IOException {
        String guide = Files.readString(Path.of("docs", "api-guide.md"));
        assertThat(guide).contains(START, END);
        String documented = guide.substring(guide.indexOf(START) + START.length(), guide.indexOf(END)).strip();

        assertThat(documented).as("the table between the markers in docs/api-guide.md; paste this:%n%s%n", table())
            .isEqualTo(table());
    }

    static String table() {
        return "| code | status | meaning |\n|---|---|---|\n" + Arrays.stream(ErrorCode.values())
            .map(code -> "| `" + code.name() + "` | " + code.status() + " | " + code.meaning() + " |")
            .collect(Collectors.joining("\n"));
    }

}
