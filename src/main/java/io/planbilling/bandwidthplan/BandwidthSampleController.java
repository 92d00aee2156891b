package io.planbilling.bandwidthplan;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.planbilling.shared.ApiProblem;
import io.planbilling.shared.BillingMeters;
import io.planbilling.shared.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Bandwidth samples (operator)", description = "Per-minute traffic of office networks; operator key only")
@RestController
@RequestMapping("/api/v1/bandwidth-samples")
class BandwidthSampleController {

    private final BandwidthSamples samples;

    private final MeterRegistry meters;

    private final Counter inserted;

    private final Counter replaced;

    BandwidthSampleController(BandwidthSamples samples, MeterRegistry meters) {
        this.samples = samples;
        this.meters = meters;
        this.inserted = meters.counter(BillingMeters.BANDWIDTH_SAMPLES, BillingMeters.OUTCOME, "inserted");
        this.replaced = meters.counter(BillingMeters.BANDWIDTH_SAMPLES, BillingMeters.OUTCOME, "replaced");
    }

    record SamplesRequest(@ArraySchema(minItems = 1, maxItems = BandwidthSamples.MAX_BATCH,
            arraySchema = @Schema(description = "1 to 10 000 samples",
                    requiredMode = Schema.RequiredMode.REQUIRED)) @Nullable List<@Nullable SampleInput> samples) {
    }

    @Operation(operationId = "ingestBandwidthSamples", summary = "Post bandwidth samples", description = """
            One sample per network per minute; a repeat of a minute replaces it. 1 to 10 000 samples, atomic: \
            one bad sample (a missing or unreadable field, a minute repeated in the batch, an office network that \
            does not exist) refuses the batch with 400 VALIDATION_FAILED and every bad one is listed by index \
            (samples[i].field). Samples feed monitoring and \
            pay-by-traffic billing (inbound only); a pay-by-traffic hour is billed once it has ended and the settle \
            delay (billing.bandwidth.traffic-settle-delay, 5 min) has passed, so later samples of it are not billed.""")
    @ApiProblem(value = ErrorCode.VALIDATION_FAILED, detail = "1 of 2 samples are invalid; nothing was applied.",
            field = "samples[1].officeNetworkId",
            message = "unknown office network 3f2a9c1e-7b6d-4e8f-9a0b-1c2d3e4f5a6b")
    @PostMapping
    SamplesResult post(@RequestBody SamplesRequest request) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "rejected";
        try {
            SamplesResult result = samples.ingest(request.samples());
            outcome = "accepted";
            inserted.increment(result.inserted());
            replaced.increment(result.replaced());
            return result;
        }
        finally {
            sample.stop(meters.timer(BillingMeters.BANDWIDTH_SAMPLE_BATCH, BillingMeters.OUTCOME, outcome));
        }
    }

}
