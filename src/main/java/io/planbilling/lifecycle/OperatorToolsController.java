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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Operator tools", description = "The lifecycle job and the test clock; operator key only")
@RestController
@RequestMapping("/api/v1/admin")
class OperatorToolsController {

    private final LifecycleRunner lifecycle;
    private final BillingClock clock;

    OperatorToolsController(LifecycleRunner lifecycle, BillingClock clock) {
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    record ClockView(Instant now, boolean adjustable) {
    }

    record ClockChange(@Schema(example = "P31D", description = "ISO-8601 duration or period to move forward by")
            @Nullable @Size(max = 64) String advance,
            @Schema(example = "2026-12-24T00:00:00Z", description = "instant to move to (never backwards)")
            @Nullable Instant set) {
    }

    @Operation(operationId = "runLifecycle", summary = "Run the lifecycle job now",
            description = "Expires, renews and accrues everything due at the service's current time and reports what each step did.")
    @ApiProblem(value = ErrorCode.LIFECYCLE_BUSY, detail = "Another instance is running the lifecycle job; retry shortly.")
    @PostMapping("/lifecycle/run")
    LifecycleReport run() {
        return lifecycle.runNow();
    }

    @Operation(operationId = "getClock", summary = "Read the test clock", description = "404 unless billing.clock.adjustable=true.")
    @ApiProblem(value = ErrorCode.NOT_FOUND, detail = "Resource /api/v1/admin/clock does not exist.")
    @GetMapping("/clock")
    ClockView clock() {
        requireAdjustable();
        return new ClockView(clock.now(), true);
    }

    @Operation(operationId = "moveClock", summary = "Move the test clock forward",
            description = "Exactly one of advance (ISO-8601, e.g. P31D or PT90M) or set (an instant). 404 unless billing.clock.adjustable=true.")
    @ApiProblem(value = ErrorCode.CLOCK_CANNOT_GO_BACKWARDS,
            detail = "The test clock only moves forward; it is already past 2026-11-01T00:00:00Z.")
    @ApiProblem(value = ErrorCode.NOT_FOUND, detail = "Resource /api/v1/admin/clock does not exist.")
    @PostMapping("/clock")
    ClockView move(@Valid @NotNull @RequestBody ClockChange change) {
        requireAdjustable();
        if ((change.advance() == null) == (change.set() == null)) {
            throw ProblemException.invalid("advance", "exactly one of advance or set is required");
        }
        Instant now = change.advance() != null ? clock.advance(change.advance()) : clock.set(change.set());
        return new ClockView(now, true);
    }

    private void requireAdjustable() {
        if (!clock.adjustable()) {
            throw ProblemException.notFound("Resource", "/api/v1/admin/clock");
        }
    }
}
