package io.planbilling.events;

import io.planbilling.shared.ApiProblem;
import io.planbilling.shared.Caller;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.PageQuery;
import io.planbilling.shared.PageView;
import io.planbilling.shared.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Webhooks", description = "Signed event deliveries to the account's own endpoints")
@RestController
@RequestMapping("/api/v1/webhook-endpoints")
class WebhookEndpointController {

    private final WebhookEndpoints endpoints;

    WebhookEndpointController(WebhookEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    record CreateEndpoint(
            @Schema(description = "where deliveries are POSTed (https; public addresses only unless configured)",
                    example = "https://finance.example.com/billing-events") @NotBlank @Size(max = 2048) String url,
            @Schema(description = "event types to deliver, or [\"*\"] for all",
                    example = "[\"traffic_package.exhausted\"]") @NotNull @Size(min = 1,
                            max = 50) List<@NotBlank @Size(max = 64) String> eventTypes,
            @Schema(description = "default true") @Nullable Boolean enabled) {
    }

    record UpdateEndpoint(@Size(max = 2048) @Nullable String url,
            @Size(min = 1, max = 50) @Nullable List<@NotBlank @Size(max = 64) String> eventTypes,
            @Schema(description = "true again after the service disabled it starts a fresh run of failures") @Nullable Boolean enabled) {
    }

    record RotateSecret(@Schema(
            description = "ISO-8601: how long the old secret also signs deliveries (default " + "PT24H, at most P7D)",
            example = "PT24H") @Size(max = 32) @Nullable String overlap) {
    }

    @Operation(operationId = "createWebhookEndpoint", summary = "Register a webhook endpoint",
            description = "Answers with the signing secret, which is shown only here and on rotation.")
    @ApiProblem(value = ErrorCode.VALIDATION_FAILED,
            detail = "The request is invalid: url must point at a public address.")
    @ApiResponse(responseCode = "201", description = "The endpoint with its signing secret",
            content = @Content(schema = @Schema(implementation = WebhookEndpointView.class)),
            headers = @Header(name = "Location", required = true, description = "the new endpoint",
                    schema = @Schema(type = "string", format = "uri-reference", maxLength = 200)))
    @PostMapping
    ResponseEntity<WebhookEndpointView> create(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Valid @RequestBody CreateEndpoint request) {
        WebhookEndpointView created = endpoints.create(caller.requireAccountId(), request.url(), request.eventTypes(),
                request.enabled());
        return ResponseEntity.created(URI.create("/api/v1/webhook-endpoints/" + created.id())).body(created);
    }

    @Operation(operationId = "listWebhookEndpoints", summary = "List webhook endpoints, newest first")
    @GetMapping
    PageView<WebhookEndpointView> list(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Valid @ParameterObject PageQuery page) {
        return endpoints.list(caller.requireAccountId(), page);
    }

    @Operation(operationId = "getWebhookEndpoint", summary = "Read a webhook endpoint")
    @GetMapping("/{id}")
    WebhookEndpointView get(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        return endpoints.get(caller.requireAccountId(), id);
    }

    @Operation(operationId = "updateWebhookEndpoint",
            summary = "Change a webhook endpoint's URL, event types or enabled flag",
            description = "Absent fields stay as they are.")
    @PatchMapping("/{id}")
    WebhookEndpointView update(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id,
            @Valid @RequestBody UpdateEndpoint request) {
        return endpoints.update(caller.requireAccountId(), id, request.url(), request.eventTypes(), request.enabled());
    }

    @Operation(operationId = "deleteWebhookEndpoint", summary = "Delete a webhook endpoint",
            description = "Its pending deliveries are not sent.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID id) {
        endpoints.delete(caller.requireAccountId(), id);
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "rotateWebhookSecret", summary = "Rotate the signing secret",
            description = "Answers with the new secret (shown once). Until the overlap ends, deliveries carry a "
                    + "signature with each secret.")
    @PostMapping("/{id}/secret-rotation")
    WebhookEndpointView rotate(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id,
            @Valid @RequestBody(required = false) @Nullable RotateSecret request) {
        Duration overlap;
        try {
            overlap = request == null || request.overlap() == null ? Duration.ofHours(24)
                    : Duration.parse(request.overlap());
        }
        catch (DateTimeParseException ex) {
            throw ProblemException.invalid("overlap", "must be an ISO-8601 duration such as PT24H");
        }
        return endpoints.rotateSecret(caller.requireAccountId(), id, overlap);
    }

    @Operation(operationId = "listWebhookDeliveries", summary = "The endpoint's delivery log, newest event first",
            description = "Every delivery with its status and every attempt's status code, duration and error.")
    @GetMapping("/{id}/deliveries")
    PageView<WebhookDeliveryView> deliveries(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID id, @Valid @ParameterObject PageQuery page) {
        return endpoints.deliveries(caller.requireAccountId(), id, page);
    }

    @Operation(operationId = "redeliverWebhook", summary = "Send a delivery again",
            description = "Whatever became of it, it is sent again as soon "
                    + "as possible with a fresh set of attempts (202).")
    @ApiResponse(responseCode = "202", description = "Queued to be sent again")
    @PostMapping("/{id}/deliveries/{deliveryId}/redelivery")
    ResponseEntity<Void> redeliver(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID id, @PathVariable UUID deliveryId) {
        endpoints.redeliver(caller.requireAccountId(), id, deliveryId);
        return ResponseEntity.accepted().build();
    }

}
