package io.planbilling.account;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.planbilling.shared.Money;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.util.UUID;

/**
 * One postpaid line of a monthly bill: a resource's usage of one kind in one region at
 * one unit price, aggregated over the month.
 *
 * @param kind what was used, e.g. {@code PAYG_TRAFFIC}, {@code BANDWIDTH_HOURS}
 * @param region where: the traffic region of the records ({@code GUANGZHOU},
 * {@code SILICON_VALLEY}) or the bandwidth plan's region
 * @param quantity exact quantity in {@code unit}, sent as a decimal string (never
 * rounded, never a double)
 * @param unit e.g. {@code GB}, {@code MBPS_HOUR}
 * @param unitPrice price of one {@code unit}
 * @param amount {@code quantity × unitPrice}, rounded once (half-even)
 */
public record PostpaidLine(String kind, String resourceType, UUID resourceId, String region, String description,
        @Schema(implementation = String.class, pattern = "^-?[0-9]{1,30}(\\.[0-9]{1,30})?$", maxLength = 62,
                example = "1.5",
                description = "exact decimal in unit, written as a string like money amounts (a JSON number "
                        + "would lose digits in clients that read numbers as doubles)") @JsonFormat(
                                shape = JsonFormat.Shape.STRING) BigDecimal quantity,
        String unit, Money unitPrice, Money amount) {
}
