package io.planbilling.events;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The event catalogue in the OpenAPI document: one schema per payload shape (every member required, nullable where
 * {@code @Nullable}, except the {@code NOT_REQUIRED} ones only some event types send), and every event type as an
 * entry of the document's {@code x-webhooks} section, OpenAPI 3.0's form of 3.1's {@code webhooks} (what an endpoint
 * receives: the event, its signature header, and that any 2xx acknowledges it).
 */
@Configuration(proxyBeanMethods = false)
class EventDocumentation {

    /** Money in a payload, as in the API. */
    record MoneyData(@Schema(example = "30.00") String amount, @Schema(example = "CNY") String currency) {
    }

    @Schema(description = "traffic_package.* — the package right after the change")
    record TrafficPackageEventData(UUID id, String type, String region, String status, long capacityBytes,
            long usedBytes, long remainingBytes, int maxDevices, List<UUID> deviceIds, boolean autoRenew,
            MoneyData price, Instant validFrom, Instant validUntil, @Nullable String renewalFailure,
            @Nullable UUID predecessorId, Instant createdAt,
            @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED, description = "traffic_package.bound only: the devices this change bound") @Nullable List<UUID> boundDeviceIds) {
    }

    @Schema(description = "bandwidth_plan.* — the plan right after the change")
    record BandwidthPlanEventData(UUID id, String region, String paymentType, @Nullable String chargeType,
            @Nullable Map<String, Object> duration, boolean autoRenew, int peakBandwidthMbps, String status,
            @Nullable UUID officeNetworkId, String ipAddress, Instant createdAt, @Nullable Instant expiresAt,
            @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED, description = "bandwidth_plan.dissociated only") @Nullable UUID previousOfficeNetworkId,
            @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED, description = "bandwidth_plan.changed only") @Nullable Integer previousPeakBandwidthMbps,
            @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED, description = "bandwidth_plan.renewed only") @Nullable Instant previousExpiresAt) {
    }

    @Schema(description = "credit.created, refund.created — the ledger entry")
    record LedgerEntryEventData(UUID id, Instant at, String kind, MoneyData amount, MoneyData balanceAfter,
            @Nullable String resourceType, @Nullable UUID resourceId, String description, @Nullable String reference) {
    }

    @Schema(description = "charge.accrued — a postpaid charge: pay-as-you-go traffic of one usage batch and device "
            + "(PAYG_TRAFFIC, quantity in bytes, price per GB), or one billed hour of a bandwidth plan "
            + "(BANDWIDTH_HOURS in Mbps-hours, INBOUND_TRAFFIC in bytes, price per GB)")
    record ChargeAccruedEventData(String kind, String resourceType, UUID resourceId, long quantity, String unit,
            MoneyData unitPrice,
            @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED, description = "PAYG_TRAFFIC only") @Nullable String unitPriceFor, MoneyData amount,
            @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED, description = "PAYG_TRAFFIC only") @Nullable List<String> recordIds,
            @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED, description = "bandwidth charges only") @Nullable Instant hourStart) {
    }

    @Schema(description = "webhook_endpoint.disabled — the endpoint the service disabled")
    record WebhookEndpointEventData(UUID id, String url, boolean enabled, String disabledReason,
            int consecutiveFailures, @Nullable Integer lastStatusCode, @Nullable String lastError) {
    }

    @Bean
    OpenApiCustomizer eventCatalogue() {
        return openApi -> {
            Map<String, Class<?>> shapes = Map.of("TrafficPackageEventData", TrafficPackageEventData.class,
                    "BandwidthPlanEventData", BandwidthPlanEventData.class, "LedgerEntryEventData",
                    LedgerEntryEventData.class, "ChargeAccruedEventData", ChargeAccruedEventData.class,
                    "WebhookEndpointEventData", WebhookEndpointEventData.class, "MoneyData", MoneyData.class);
            shapes.values().forEach(type -> ModelConverters.getInstance().read(type)
                    .forEach(openApi.getComponents()::addSchemas));
            Map<String, PathItem> webhooks = new LinkedHashMap<>();
            for (String type : EventTypes.ALL_TYPES) {
                String data = dataSchema(type);
                io.swagger.v3.oas.models.media.Schema<?> event = new ObjectSchema()
                        .allOf(List.of(new io.swagger.v3.oas.models.media.Schema<>().$ref("#/components/schemas/EventView"),
                                new ObjectSchema()
                                        .addProperty("type", new StringSchema()._enum(List.of(type)))
                                        .addProperty("data", new io.swagger.v3.oas.models.media.Schema<>()
                                                .$ref("#/components/schemas/" + data))));
                Operation delivery = new Operation()
                        .operationId("webhook_" + type.replace('.', '_'))
                        .summary(type)
                        .description("POSTed to every enabled endpoint subscribed to " + type + " (or \"*\"), at "
                                + "least once: de-duplicate by the event id. Answer any 2xx within the timeout to "
                                + "acknowledge; anything else is retried with exponential backoff for about a day.")
                        .addParametersItem(new HeaderParameter().name(WebhookSignature.HEADER).required(true)
                                .description("t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\" under the "
                                        + "endpoint's secret>; one v1 per live secret during a rotation")
                                .schema(new StringSchema().maxLength(300)))
                        .addParametersItem(new HeaderParameter().name("Billing-Event-Id").required(true)
                                .schema(new StringSchema().format("uuid").maxLength(36)))
                        .requestBody(new RequestBody().required(true).content(new Content()
                                .addMediaType("application/json", new MediaType().schema(event))))
                        .responses(new ApiResponses().addApiResponse("2XX",
                                new ApiResponse().description("acknowledged")));
                webhooks.put(type, new PathItem().post(delivery));
            }
            // OpenAPI 3.0 has no webhooks section; x-webhooks is the extension its tools read
            openApi.addExtension("x-webhooks", webhooks);
        };
    }

    private static String dataSchema(String type) {
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
