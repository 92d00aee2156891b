package io.planbilling.events;

import io.planbilling.account.AccountView;
import io.planbilling.account.AccruedCharge;
import io.planbilling.account.LedgerEntryView;
import io.planbilling.account.PostpaidMonths;
import io.planbilling.bandwidthplan.BandwidthPlanView;
import io.planbilling.trafficpackage.TrafficPackageView;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.DateTimeSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.UUIDSchema;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The payload schemas of the event catalogue (docs/events.md): each kind's {@code data}
 * is the API's own view of its resource ({@code $ref} to the view schema the operations
 * use) with only the fields of the change added, and the view fields declared
 * {@link Nullable} marked nullable as events carry them ({@code nullable: true} in
 * OpenAPI 3.0, a {@code "null"} type in 3.1).
 */
final class EventPayloadSchemas {

    static final String SCHEMAS = "#/components/schemas/";

    /**
     * The view records whose schemas event payloads refer to, with the records nested in
     * them.
     */
    private static final List<Class<? extends Record>> VIEWS = List.of(TrafficPackageView.class,
            TrafficPackageView.PendingChange.class, BandwidthPlanView.class, BandwidthPlanView.NetworkRef.class,
            LedgerEntryView.class, AccruedCharge.class, WebhookEndpointView.class, EventView.class, AccountView.class,
            PostpaidMonths.ThresholdReached.class);

    private EventPayloadSchemas() {
    }

    /**
     * Adds every payload schema to {@code components}, and marks the nullable fields of
     * the views they refer to.
     */
    static void addTo(Components components, boolean v31) {
        // charges and postpaid alerts are no API response: their schemas (and only
        // what the document lacks) come from the records
        ModelConverters.getInstance(v31).read(AccruedCharge.class).forEach(components.getSchemas()::putIfAbsent);
        ModelConverters.getInstance(v31)
            .read(PostpaidMonths.ThresholdReached.class)
            .forEach(components.getSchemas()::putIfAbsent);
        for (Class<? extends Record> view : VIEWS) {
            markNullable(components, view, v31);
        }
        payloads(v31).forEach(components::addSchemas);
    }

    /**
     * The payload schema of each kind: the resource's view, and the fields of the change.
     */
    private static Map<String, Schema<?>> payloads(boolean v31) {
        Map<String, Schema<?>> payloads = new LinkedHashMap<>();
        payloads.put("TrafficPackageEventData", view(TrafficPackageView.class,
                "traffic_package.* — the package as the"
                        + " change's transaction left it (the API's TrafficPackageView)",
                new ObjectSchema().addProperty("boundDeviceIds", new ArraySchema().items(new UUIDSchema().maxLength(36))
                    .description("traffic_package.bound only: the devices this change bound"))));
        payloads.put("BandwidthPlanEventData", view(BandwidthPlanView.class,
                "bandwidth_plan.* — the plan as the" + " change's transaction left it (the API's BandwidthPlanView)",
                new ObjectSchema()
                    .addProperty("previousOfficeNetworkId",
                            new UUIDSchema().maxLength(36)
                                .description("bandwidth_plan.dissociated only: the network it was associated with"))
                    .addProperty("previousPeakBandwidthMbps",
                            new IntegerSchema().minimum(java.math.BigDecimal.ZERO)
                                .maximum(java.math.BigDecimal.valueOf(Integer.MAX_VALUE))
                                .description("bandwidth_plan.changed only: the peak before the change"))
                    .addProperty("previousExpiresAt", new DateTimeSchema().maxLength(100)
                        .description("bandwidth_plan.renewed only: the expiry before the renewal"))));
        payloads.put("LedgerEntryEventData", view(LedgerEntryView.class,
                "credit.created, refund.created — the ledger entry (the API's LedgerEntryView)", null));
        payloads.put("ChargeAccruedEventData",
                view(AccruedCharge.class, "charge.accrued — a postpaid charge as it"
                        + " accrues: the pay-as-you-go traffic of one usage batch and device, or one billed hour of a"
                        + " bandwidth plan, in the bill's unit; the monthly bill stays authoritative", null));
        payloads.put("TrafficPackageUsageThresholdEventData", view(TrafficPackageView.class,
                "traffic_package.usage_threshold_reached — the package as the usage batch left it (the API's"
                        + " TrafficPackageView, whose thresholdsReached includes this one) and the threshold reached",
                required(
                        new ObjectSchema().addProperty("threshold",
                                oneTo(100).description("the threshold reached, in percent of capacityBytes")),
                        "threshold")));
        payloads.put("TrafficPackageExpiringEventData", view(TrafficPackageView.class,
                "traffic_package.expiring — the package (the API's TrafficPackageView) whose cycle ends at endsAt,"
                        + " daysLeft days after this reminder fell due",
                expiring("its next cycle")));
        payloads.put("BandwidthPlanExpiringEventData", view(BandwidthPlanView.class,
                "bandwidth_plan.expiring — the subscription (the API's BandwidthPlanView) whose paid time ends at"
                        + " endsAt, daysLeft days after this reminder fell due",
                expiring("a term of its duration at its current peak")));
        payloads.put("AccountBalanceEventData", view(AccountView.class, "account.balance_low,"
                + " account.balance_recovered — the account with its balance after the ledger entry that moved it"
                + " below, or back to or above, its low-balance threshold (the API's AccountView)",
                required(new ObjectSchema().addProperty("threshold",
                        nullable(new Schema<>().$ref(SCHEMAS + "Money")
                            .description("the low-balance threshold in force; null when the alert has been turned off"
                                    + " since the account was told it was low"),
                                v31)),
                        "threshold")));
        payloads.put("PostpaidThresholdEventData", view(PostpaidMonths.ThresholdReached.class,
                "account.postpaid_threshold_reached — the bill month (YYYY-MM, billing zone) whose postpaid"
                        + " charges reached the threshold: postpaidDue is the month's exact running total at that"
                        + " moment rounded once; the monthly bill, which rounds each line once, stays authoritative",
                null));
        payloads.put("WebhookEndpointEventData", view(WebhookEndpointView.class, "webhook_endpoint.disabled — the"
                + " endpoint the service disabled (the API's WebhookEndpointView) and the attempt that tipped it",
                new ObjectSchema()
                    .addProperty("lastStatusCode",
                            nullable(new IntegerSchema().minimum(java.math.BigDecimal.ZERO)
                                .maximum(java.math.BigDecimal.valueOf(999)), v31)
                                .description("the status code of the last failed attempt; null when it got none"))
                    .addProperty("lastError", nullable(new StringSchema().maxLength(500), v31)
                        .description("what went wrong without a status code (a timeout, a refused" + " connection)"))));
        return payloads;
    }

    /** The fields of an expiry reminder. */
    private static Schema<?> expiring(String renewal) {
        return required(
                new ObjectSchema()
                    .addProperty("daysLeft",
                            oneTo(30).description(
                                    "the reminder's day count (1–30): it fell due" + " daysLeft × 24 h before endsAt"))
                    .addProperty("endsAt", new DateTimeSchema().maxLength(100).description("when the cycle ends"))
                    .addProperty("renewalPrice",
                            new Schema<>().$ref(SCHEMAS + "Money")
                                .description("what renewing costs at today's prices: " + renewal))
                    .addProperty("renewalAtRisk",
                            new io.swagger.v3.oas.models.media.BooleanSchema().description(
                                    "true when the cycle will not renew by itself: auto-renewal is off, or on with"
                                            + " a balance that did not cover renewalPrice when the reminder was sent")),
                "daysLeft", "endsAt", "renewalPrice", "renewalAtRisk");
    }

    private static IntegerSchema oneTo(int max) {
        return (IntegerSchema) new IntegerSchema().minimum(java.math.BigDecimal.ONE)
            .maximum(java.math.BigDecimal.valueOf(max));
    }

    private static Schema<?> required(Schema<?> schema, String... fields) {
        schema.setRequired(List.of(fields));
        return schema;
    }

    private static Schema<?> view(Class<?> view, String description, @Nullable Schema<?> change) {
        List<Schema> parts = new ArrayList<>();
        parts.add(new Schema<>().$ref(SCHEMAS + view.getSimpleName()));
        if (change != null) {
            parts.add(change);
        }
        Schema<?> payload = new Schema<>().allOf(parts).description(description);
        return payload;
    }

    /**
     * Marks the properties of {@code view}'s schema whose record components are
     * {@link Nullable} as nullable.
     */
    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static void markNullable(Components components, Class<? extends Record> view, boolean v31) {
        Schema<?> schema = components.getSchemas().get(view.getSimpleName());
        if (schema == null || schema.getProperties() == null) {
            return;
        }
        Map<String, Schema> properties = (Map) schema.getProperties();
        for (RecordComponent component : view.getRecordComponents()) {
            Schema property = properties.get(component.getName());
            if (property != null && component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
                properties.put(component.getName(), nullable(property, v31));
            }
        }
    }

    /** The same schema, allowing null as well (idempotent). */
    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static Schema nullable(Schema schema, boolean v31) {
        if (schema.get$ref() != null) {
            Schema reference = new Schema<>().$ref(schema.get$ref());
            return v31
                    ? new Schema<>().anyOf(List.of(reference, new Schema<>().types(Set.of("null"))))
                        .description(schema.getDescription())
                    : new Schema<>().allOf(List.of(reference)).nullable(true).description(schema.getDescription());
        }
        if (v31 && (schema.getMinimum() != null || schema.getMaximum() != null)) {
            // a bounded number stays one-typed (validators read the type of a bound as a
            // single name)
            return new Schema<>().anyOf(List.of(schema, new Schema<>().types(Set.of("null"))))
                .description(schema.getDescription());
        }
        if (schema.getEnum() != null && !schema.getEnum().contains(null)) {
            schema.getEnum().add(null);
        }
        if (v31) {
            Set<String> types = new LinkedHashSet<>();
            if (schema.getTypes() != null) {
                types.addAll(schema.getTypes());
            }
            else if (schema.getType() != null) {
                types.add(schema.getType());
            }
            types.add("null");
            schema.setTypes(types);
        }
        else {
            schema.setNullable(true);
        }
        return schema;
    }

}
