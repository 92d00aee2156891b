package io.planbilling.account;

import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Alerts",
        description = "When the calling account is told before it hurts: usage thresholds, expiry"
                + " reminders, low balance, postpaid month")
@RestController
@RequestMapping("/api/v1/alert-settings")
class AlertSettingsController {

    private final AlertSettingsService alerts;

    private final BillingSettings settings;

    AlertSettingsController(AlertSettingsService alerts, BillingSettings settings) {
        this.alerts = alerts;
        this.settings = settings;
    }

    /**
     * The whole settings object; every member is checked by {@link AlertSettingsCommand},
     * so a request learns every bad member from one answer.
     */
    record AlertSettingsRequest(@ArraySchema(maxItems = 5, uniqueItems = true, arraySchema = @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            description = "percentages of a traffic package's capacity (1–100, distinct, at most 5; [] for none)",
            example = "[80, 100]"),
            schema = @Schema(minimum = "1", maximum = "100",
                    format = "int32")) @Nullable List<@Nullable Integer> trafficUsageThresholds,
            @ArraySchema(maxItems = 5, uniqueItems = true, arraySchema = @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "days before a package's cycle or a subscription's term ends (1–30, distinct, at"
                            + " most 5; [] for none)",
                    example = "[7, 3, 1]"),
                    schema = @Schema(minimum = "1", maximum = "30",
                            format = "int32")) @Nullable List<@Nullable Integer> expiryReminderDays,
            @Schema(description = "the balance below which the account is LOW (positive, in the deployment's"
                    + " currency); null or absent: off") AccountAdminController.@Nullable MoneyInput lowBalanceThreshold,
            @Schema(description = "the postpaid charges of a bill month that raise an alert (positive, in the"
                    + " deployment's currency); null or absent: off") AccountAdminController.@Nullable MoneyInput postpaidMonthlyThreshold) {
    }

    @Operation(operationId = "getAlertSettings", summary = "Read the calling account's alert settings",
            description = "The defaults until the account saves its own: thresholds [80, 100], reminders [7, 3, 1],"
                    + " no low-balance and no postpaid threshold.")
    @GetMapping
    AlertSettings get(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller) {
        return alerts.get(caller.requireAccountId());
    }

    @Operation(operationId = "replaceAlertSettings", summary = "Replace the calling account's alert settings",
            description = "Replaces the whole object. Applies to what happens from now on: an alert already sent is"
                    + " never sent again, and a change sends none (the balance's OK/LOW state is judged against a"
                    + " new low-balance threshold at the next balance change). Answers the settings as saved:"
                    + " thresholds ascending, days descending.")
    @PutMapping
    AlertSettings replace(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @RequestBody AlertSettingsRequest request) {
        return alerts.replace(caller.requireAccountId(),
                AlertSettingsCommand.of(request.trafficUsageThresholds(), request.expiryReminderDays(),
                        request.lowBalanceThreshold(), request.postpaidMonthlyThreshold(), settings.currency()));
    }

}
