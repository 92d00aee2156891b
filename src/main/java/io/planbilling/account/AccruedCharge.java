package io.planbilling.account;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.planbilling.shared.Money;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A postpaid charge as it accrues, the data of a {@code charge.accrued} event
 * (docs/events.md): the same kind, resource, unit and unit price as the monthly bill's
 * line it adds to, its exact quantity in the bill's unit and its amount rounded once. The
 * bill adds up the month's quantities and rounds each line once, so the sum of these
 * amounts can differ from it by a cent per charge: the bill is authoritative.
 *
 * @param quantity exact, in {@code unit}
 * @param unit {@code GB} or {@code MBPS_HOUR}, as on the bill
 * @param amount {@code quantity × unitPrice}, rounded once (half-even)
 * @param hourStart bandwidth charges: the billed hour
 * @param recordIds pay-as-you-go traffic: the usage records of the batch that accrued it
 */
public record AccruedCharge(String kind, String resourceType, UUID resourceId,
        @Schema(implementation = String.class,
                example = "5") @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal quantity,
        PostpaidUnit unit, Money unitPrice, Money amount, @Nullable Instant hourStart,
        @Nullable List<String> recordIds) {

    /**
     * The charge of {@code raw} metered units (bytes, Mbps-hours) at {@code unitPrice}
     * per {@code unit}.
     */
    public static AccruedCharge of(String kind, String resourceType, UUID resourceId, PostpaidUnit unit, BigDecimal raw,
            Money unitPrice, @Nullable Instant hourStart, @Nullable List<String> recordIds) {
        return new AccruedCharge(kind, resourceType, resourceId, unit.quantity(raw), unit, unitPrice,
                unit.amount(raw, unitPrice), hourStart, recordIds == null ? null : List.copyOf(recordIds));
    }
}
