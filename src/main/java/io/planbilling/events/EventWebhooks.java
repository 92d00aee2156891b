package io.planbilling.events;

import io.planbilling.shared.EventType;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code webhooks} entries of the event catalogue (docs/events.md): per event type,
 * what an endpoint receives — the event with its type's payload schema, its signature
 * header — and that any 2xx acknowledges it.
 */
final class EventWebhooks {

    /**
     * The kinds whose data has a schema of its own (the others go by their resource, see
     * {@link #dataSchema}).
     */
    private static final Map<String, String> OWN_SCHEMAS = Map.of(
            EventType.TRAFFIC_PACKAGE_USAGE_THRESHOLD_REACHED.wireName(), "TrafficPackageUsageThresholdEventData",
            EventType.TRAFFIC_PACKAGE_EXPIRING.wireName(), "TrafficPackageExpiringEventData",
            EventType.BANDWIDTH_PLAN_EXPIRING.wireName(), "BandwidthPlanExpiringEventData",
            EventType.ACCOUNT_BALANCE_LOW.wireName(), "AccountBalanceEventData",
            EventType.ACCOUNT_BALANCE_RECOVERED.wireName(), "AccountBalanceEventData",
            EventType.ACCOUNT_POSTPAID_THRESHOLD_REACHED.wireName(), "PostpaidThresholdEventData");

    private EventWebhooks() {
    }

    /** One webhook entry per event type, in the catalogue's order. */
    static Map<String, PathItem> all() {
        Map<String, PathItem> webhooks = new LinkedHashMap<>();
        for (String type : EventTypes.ALL_TYPES) {
            webhooks.put(type, new PathItem().post(delivery(type, dataSchema(type))));
        }
        return webhooks;
    }

    private static Operation delivery(String type, String data) {
        Schema<?> event = new ObjectSchema()
            .allOf(List.of(new Schema<>().$ref(EventPayloadSchemas.SCHEMAS + "EventView"),
                    new ObjectSchema().addProperty("type", new StringSchema()._enum(List.of(type)))
                        .addProperty("data", new Schema<>().$ref(EventPayloadSchemas.SCHEMAS + data))));
        return new Operation().operationId("webhook_" + type.replace('.', '_'))
            .summary(type)
            .description("POSTed to every enabled endpoint subscribed to " + type + " (or \"*\"), at least once:"
                    + " de-duplicate by the event id. Answer any 2xx within the timeout to acknowledge; anything"
                    + " else is retried with exponential backoff for about a day.")
            .addParametersItem(new HeaderParameter().name(WebhookSignature.HEADER)
                .required(true)
                .description("t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\" under the endpoint's"
                        + " secret>; one v1 per live secret during a rotation")
                .schema(new StringSchema().maxLength(300)))
            .addParametersItem(new HeaderParameter().name("Billing-Event-Id")
                .required(true)
                .schema(new StringSchema().format("uuid").maxLength(36)))
            .requestBody(new RequestBody().required(true)
                .content(new Content().addMediaType("application/json", new MediaType().schema(event))))
            .responses(new ApiResponses().addApiResponse("2XX", new ApiResponse().description("acknowledged")));
    }

    private static String dataSchema(String type) {
        if (OWN_SCHEMAS.containsKey(type)) {
            return OWN_SCHEMAS.get(type);
        }
        if (type.startsWith("traffic_package.")) {
            return "TrafficPackageEventData";
        }
        if (type.startsWith("bandwidth_plan.")) {
            return "BandwidthPlanEventData";
        }
        if (type.startsWith("charge.")) {
            return "ChargeAccruedEventData";
        }
        if (type.startsWith("webhook_endpoint.")) {
            return "WebhookEndpointEventData";
        }
        return "LedgerEntryEventData";
    }

}
