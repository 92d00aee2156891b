package io.planbilling.shared;

import java.util.Arrays;
import java.util.List;

/**
 * The event catalogue: every kind of event the service records, by the name consumers
 * subscribe to and read in the feed (docs/events.md). One list for every module, as the
 * error codes are one list: the plan modules record these, the events module serves and
 * delivers them.
 */
public enum EventType {

    TRAFFIC_PACKAGE_PURCHASED("traffic_package.purchased"), TRAFFIC_PACKAGE_BOUND("traffic_package.bound"),
    TRAFFIC_PACKAGE_EXHAUSTED("traffic_package.exhausted"), TRAFFIC_PACKAGE_EXPIRED("traffic_package.expired"),
    TRAFFIC_PACKAGE_RENEWED("traffic_package.renewed"),
    TRAFFIC_PACKAGE_RENEWAL_FAILED("traffic_package.renewal_failed"),
    TRAFFIC_PACKAGE_USAGE_THRESHOLD_REACHED("traffic_package.usage_threshold_reached"),
    TRAFFIC_PACKAGE_EXPIRING("traffic_package.expiring"), BANDWIDTH_PLAN_PURCHASED("bandwidth_plan.purchased"),
    BANDWIDTH_PLAN_ASSOCIATED("bandwidth_plan.associated"), BANDWIDTH_PLAN_DISSOCIATED("bandwidth_plan.dissociated"),
    BANDWIDTH_PLAN_CHANGED("bandwidth_plan.changed"), BANDWIDTH_PLAN_RENEWED("bandwidth_plan.renewed"),
    BANDWIDTH_PLAN_EXPIRED("bandwidth_plan.expired"), BANDWIDTH_PLAN_UNSUBSCRIBED("bandwidth_plan.unsubscribed"),
    BANDWIDTH_PLAN_DELETED("bandwidth_plan.deleted"), BANDWIDTH_PLAN_EXPIRING("bandwidth_plan.expiring"),
    CREDIT_CREATED("credit.created"), REFUND_CREATED("refund.created"), CHARGE_ACCRUED("charge.accrued"),
    ACCOUNT_BALANCE_LOW("account.balance_low"), ACCOUNT_BALANCE_RECOVERED("account.balance_recovered"),
    ACCOUNT_POSTPAID_THRESHOLD_REACHED("account.postpaid_threshold_reached"),
    WEBHOOK_ENDPOINT_DISABLED("webhook_endpoint.disabled");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The name in the feed, in webhook deliveries and in subscriptions, e.g.
     * {@code traffic_package.exhausted}.
     */
    public String wireName() {
        return wireName;
    }

    /** Every wire name, in catalogue order. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(EventType::wireName).toList();
    }

    @Override
    public String toString() {
        return wireName;
    }

}
