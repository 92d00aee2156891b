package io.planbilling.lifecycle;

import io.planbilling.shared.ApiProblem;
import io.planbilling.shared.BillingClock;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The test clock (docs/operations.md). The controller exists only with
 * {@code billing.clock.adjustable=true}: without it the routes are unknown (404) and
 * absent from the OpenAPI document.
 */
@Tag(name = "Operator tools", description = "The lifecycle job and the test clock; operator key only")
@RestController
@RequestMapping("/api/v1/admin/clock")
@ConditionalOnBooleanProperty("billing.clock.adjustable")
class TestClockController {

    private final BillingClock clock;

    TestClockController(BillingClock clock) {
        this.clock = clock;
    }

    record ClockView(Instant now, boolean adjustable) {
    }

    record ClockChange(
            @Schema(example = "P31D", description = "ISO-8601 duration or period to move forward by") @Nullable @Size(
                    max = 64) String advance,
            @Schema(example = "2026-12-24T00:00:00Z",
                    description = "instant to move to (never backwards)") @Nullable Instant set) {
    }

    @Operation(operationId = "getClock", summary = "Read the test clock",
            description = "Only with billing.clock.adjustable=true.")
    @GetMapping
    ClockView clock() {
        return new ClockView(clock.now(), true);
    }

    @Operation(operationId = "moveClock", summary = "Move the test clock forward",
            description = "Exactly one of advance (ISO-8601, e.g. P31D or PT90M) or set (an instant). Only with billing.clock.adjustable=true.")
    @ApiProblem(value = ErrorCode.CLOCK_CANNOT_GO_BACKWARDS,
            detail = "The test clock only moves forward; it is already past 2026-11-01T00:00:00Z.")
    @PostMapping
    ClockView move(@Valid @NotNull @RequestBody ClockChange change) {
        if ((change.advance() == null) == (change.set() == null)) {
            throw ProblemException.invalid("advance", "exactly one of advance or set is required");
        }
        Instant now = change.advance() != null ? clock.advance(change.advance()) : clock.set(change.set());
        return new ClockView(now, true);
    }

}
