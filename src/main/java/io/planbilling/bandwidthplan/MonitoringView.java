package io.planbilling.bandwidthplan;

import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Inbound and outbound bandwidth of the network(s) a plan carried, per bucket, oldest
 * first. Rates are Mbps ({@code bytes × 8 ÷ seconds ÷ 10⁶}) with three decimals:
 * {@code average} over the whole bucket (a minute without a sample counts as no traffic),
 * {@code peak} the busiest minute in it.
 *
 * @param bucket each point's width ({@code PT1M} for 1h, {@code PT5M} for 6h,
 * {@code PT15M} for 24h, {@code PT1H} for 7d, {@code PT4H} for 30d)
 */
record MonitoringView(UUID planId, @Schema(example = "1h") String period,
        @Schema(type = "string", example = "PT1M") Duration bucket, Instant from, Instant to, List<Point> points) {

    public record Point(Instant at, @Schema(example = "12.345") BigDecimal inboundAverageMbps,
            @Schema(example = "20.000") BigDecimal inboundPeakMbps,
            @Schema(example = "1.250") BigDecimal outboundAverageMbps,
            @Schema(example = "3.000") BigDecimal outboundPeakMbps) {
    }
}
