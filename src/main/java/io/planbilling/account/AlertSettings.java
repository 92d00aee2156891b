package io.planbilling.account;

import io.planbilling.shared.Money;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An account's alert settings as the API shows them (docs/alerts.md): what it saved, or
 * the defaults when it never saved any ({@code [80, 100]}, {@code [7, 3, 1]}, both
 * thresholds off).
 *
 * @param trafficUsageThresholds percentages of a traffic package's capacity, ascending
 * @param expiryReminderDays days before the end of a package's cycle or a subscription's
 * term, descending
 * @param lowBalanceThreshold the balance below which the account is LOW; null: off
 * @param postpaidMonthlyThreshold the postpaid charges of a bill month that raise an
 * alert; null: off
 */
public record AlertSettings(
        @ArraySchema(maxItems = 5, uniqueItems = true, arraySchema = @Schema(example = "[80, 100]"),
                schema = @Schema(minimum = "1", maximum = "100",
                        format = "int32")) List<Integer> trafficUsageThresholds,
        @ArraySchema(maxItems = 5, uniqueItems = true, arraySchema = @Schema(example = "[7, 3, 1]"),
                schema = @Schema(minimum = "1", maximum = "30", format = "int32")) List<Integer> expiryReminderDays,
        @Nullable Money lowBalanceThreshold, @Nullable Money postpaidMonthlyThreshold) {

    public AlertSettings {
        trafficUsageThresholds = List.copyOf(trafficUsageThresholds);
        expiryReminderDays = List.copyOf(expiryReminderDays);
    }
}
