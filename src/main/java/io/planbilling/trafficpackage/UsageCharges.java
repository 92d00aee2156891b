package io.planbilling.trafficpackage;

import io.planbilling.account.AccruedCharge;
import io.planbilling.account.PostpaidMonths;
import io.planbilling.account.PostpaidUnit;
import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.EventOutbox;
import io.planbilling.shared.EventType;
import io.planbilling.shared.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The pay-as-you-go side of a usage batch (docs/traffic-packages.md, pay-as-you-go
 * traffic): its charges added to the bill months' running totals and its
 * {@code charge.accrued} events.
 */
@Component
class UsageCharges {

    private final BillingSettings settings;

    private final EventOutbox events;

    private final PostpaidMonths postpaidMonths;

    UsageCharges(BillingSettings settings, EventOutbox events, PostpaidMonths postpaidMonths) {
        this.settings = settings;
        this.events = events;
        this.postpaidMonths = postpaidMonths;
    }

    /** A device's pay-as-you-go traffic of one batch at one unit price. */
    private record ChargeKey(UUID accountId, UUID deviceId, BigDecimal unitPrice) {
    }

    /**
     * One {@code charge.accrued} per device and unit price of the records this batch
     * applied: their bytes in GB, exactly, and the amount rounded once; the monthly bill
     * adds the month's bytes up and rounds its line once.
     */
    void record(List<MeteredUsage> applied, Map<String, UsageSplit> splits) {
        Map<ChargeKey, long[]> bytes = new LinkedHashMap<>();
        Map<ChargeKey, List<String>> ids = new HashMap<>();
        List<PostpaidMonths.Accrual> accruals = new ArrayList<>();
        for (MeteredUsage usage : applied) {
            UsageSplit split = UsageSplit.of(splits, usage);
            if (split.paygBytes > 0) {
                ChargeKey key = new ChargeKey(usage.accountId(), usage.deviceId(), split.paygUnitPrice);
                bytes.computeIfAbsent(key, k -> new long[1])[0] += split.paygBytes;
                ids.computeIfAbsent(key, k -> new ArrayList<>()).add(usage.id());
                accruals.add(new PostpaidMonths.Accrual(usage.accountId(), usage.occurredAt(), PostpaidUnit.GB,
                        BigDecimal.valueOf(split.paygBytes), Money.of(split.paygUnitPrice, settings.currency())));
            }
        }
        // the bill months' running totals, in the batch's last statement before its
        // events (docs/alerts.md)
        postpaidMonths.add(accruals);
        bytes.forEach((key, total) -> events.record(EventType.CHARGE_ACCRUED, key.accountId(),
                TrafficPostpaidCharges.RESOURCE_TYPE, key.deviceId(),
                AccruedCharge.of(TrafficPostpaidCharges.KIND, TrafficPostpaidCharges.RESOURCE_TYPE, key.deviceId(),
                        PostpaidUnit.GB, BigDecimal.valueOf(total[0]), Money.of(key.unitPrice(), settings.currency()),
                        null, ids.getOrDefault(key, List.of()).stream().sorted().toList())));
    }

}
