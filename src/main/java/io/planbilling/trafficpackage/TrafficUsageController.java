package io.planbilling.trafficpackage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.planbilling.shared.BillingMeters;
import io.planbilling.shared.ApiProblem;
import io.planbilling.shared.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Traffic usage (operator)",
        description = "Metered device traffic from the gateways' pipeline; operator key only")
@RestController
@RequestMapping("/api/v1/traffic-usage")
class TrafficUsageController {

    private final TrafficUsage usage;

    private final MeterRegistry meters;

    private final Counter applied;

    private final Counter duplicates;

    private final Timer accepted;

    private final Timer rejected;

    TrafficUsageController(TrafficUsage usage, MeterRegistry meters) {
        this.usage = usage;
        this.meters = meters;
        this.applied = meters.counter(BillingMeters.USAGE_RECORDS, BillingMeters.OUTCOME, "applied");
        this.duplicates = meters.counter(BillingMeters.USAGE_RECORDS, BillingMeters.OUTCOME, "duplicate");
        this.accepted = meters.timer(BillingMeters.USAGE_BATCH, BillingMeters.OUTCOME, "accepted");
        this.rejected = meters.timer(BillingMeters.USAGE_BATCH, BillingMeters.OUTCOME, "rejected");
    }

    record UsageBatch(@ArraySchema(minItems = 1, maxItems = TrafficUsage.MAX_BATCH,
            arraySchema = @Schema(description = "1 to 10 000 records",
                    requiredMode = Schema.RequiredMode.REQUIRED)) @Nullable List<@Nullable UsageRecordInput> records) {
    }

    @Operation(operationId = "ingestTrafficUsage", summary = "Post a batch of metered traffic records",
            description = """
                    Atomic: when any record is invalid (unknown device, bytes ≤ 0, unknown region, missing field, \
                    occurredAt in the future) nothing is applied and the 400 VALIDATION_FAILED lists every bad record \
                    by index (records[i].field; an unknown device is records[i].deviceId). Exactly-once by record id: a record whose id was seen before (in an earlier \
                    batch or earlier in this one) is not applied again and is reported with its original allocation. \
                    Each record is offset against the package bound to its device that was live at occurredAt and \
                    matches its region; what that package cannot cover flows into its successor (auto-renewal orders \
                    one the moment a package is exhausted), and the rest is billed pay-as-you-go, or blocked for a \
                    CUT_OFF device; its reason says why (NO_LIVE_PACKAGE, REGION_MISMATCH, PACKAGE_EXHAUSTED).""",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(examples = @ExampleObject(name = "batch",
                            value = """
                                    {"records": [
                                      {"id": "gw-sh-01:000042", "deviceId": "0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b",
                                       "region": "GUANGZHOU", "bytes": 1073741824, "occurredAt": "2026-11-22T08:30:00Z"},
                                      {"id": "gw-sv-02:000007", "deviceId": "0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b",
                                       "region": "SILICON_VALLEY", "bytes": 52428800, "occurredAt": "2026-11-22T08:31:00Z"}]}"""))))
    @ApiResponse(responseCode = "200", description = "What each record did, in the posted order",
            content = @Content(schema = @Schema(implementation = UsageBatchResult.class),
                    examples = @ExampleObject(name = "applied", value = """
                            {"applied": 2, "duplicates": 0, "results": [
                              {"id": "gw-sh-01:000042", "packageId": "6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f",
                               "packageBytes": 1073741824, "paygBytes": 0, "blockedBytes": 0, "duplicate": false,
                               "reason": null},
                              {"id": "gw-sv-02:000007", "packageId": null, "packageBytes": 0, "paygBytes": 52428800,
                               "blockedBytes": 0, "duplicate": false, "reason": "REGION_MISMATCH"}]}""")))
    @ApiProblem(value = ErrorCode.VALIDATION_FAILED, detail = "2 of 3 records are invalid; nothing was applied.",
            field = "records[0].bytes", message = "must be greater than 0")
    @PostMapping
    UsageBatchResult ingest(@RequestBody UsageBatch batch) {
        Timer.Sample sample = Timer.start(meters);
        Timer outcome = rejected;
        try {
            UsageBatchResult result = usage.ingest(batch.records());
            outcome = accepted;
            applied.increment(result.applied());
            duplicates.increment(result.duplicates());
            return result;
        }
        finally {
            sample.stop(outcome);
        }
    }

}
