package io.planbilling.bandwidthplan;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.planbilling.shared.ApiProblem;
import io.planbilling.shared.BillingMeters;
import io.planbilling.shared.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
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

    record SamplesRequest(@NotNull @Size(min = 1, max = 10_000) List<SampleInput> samples) {
    }

    @Operation(operationId = "ingestBandwidthSamples", summary = "Post bandwidth samples", description = """
            One sample per network per minute; a repeat of a minute replaces it. 1 to 10 000 samples, atomic: \
            one bad sample refuses the batch and every bad one is listed by index. Samples feed monitoring and \
            pay-by-traffic billing (inbound only); a pay-by-traffic hour is billed once it has ended and the settle \
            delay (billing.bandwidth.traffic-settle-delay, 5 min) has passed, so later samples of it are not billed.""")
    @ApiProblem(value = ErrorCode.UNKNOWN_OFFICE_NETWORK,
            detail = "2 samples name an unknown office network; nothing was stored.")
    @PostMapping
    SamplesResult post(@Valid @RequestBody SamplesRequest request) {
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
