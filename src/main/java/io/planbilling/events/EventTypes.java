package io.planbilling.events;

import java.util.List;

/** The event catalogue: every type the service emits (V40, V41), as consumers subscribe to them. */
public final class EventTypes {

    public static final String ALL = "*";

    public static final List<String> TRAFFIC_PACKAGE = List.of("traffic_package.purchased", "traffic_package.bound",
            "traffic_package.exhausted", "traffic_package.expired", "traffic_package.renewed",
            "traffic_package.renewal_failed");
    public static final List<String> BANDWIDTH_PLAN = List.of("bandwidth_plan.purchased",
            "bandwidth_plan.associated", "bandwidth_plan.dissociated", "bandwidth_plan.changed",
            "bandwidth_plan.renewed", "bandwidth_plan.expired", "bandwidth_plan.unsubscribed",
            "bandwidth_plan.deleted");
    public static final List<String> LEDGER = List.of("credit.created", "refund.created");
    public static final List<String> CHARGE = List.of("charge.accrued");
    public static final List<String> WEBHOOK_ENDPOINT = List.of("webhook_endpoint.disabled");

    public static final List<String> ALL_TYPES = java.util.stream.Stream.of(TRAFFIC_PACKAGE, BANDWIDTH_PLAN, LEDGER,
            CHARGE, WEBHOOK_ENDPOINT).flatMap(List::stream).toList();

    private EventTypes() {
    }
}
