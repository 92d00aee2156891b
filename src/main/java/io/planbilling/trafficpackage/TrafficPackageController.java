package io.planbilling.trafficpackage;

import static io.planbilling.trafficpackage.TrafficExamples.CATALOG_EXAMPLE;
import static io.planbilling.trafficpackage.TrafficExamples.PACKAGE_EXAMPLE;
import static io.planbilling.trafficpackage.TrafficExamples.QUOTE_EXAMPLE;
import static io.planbilling.trafficpackage.TrafficExamples.UNSUBSCRIBED_EXAMPLE;

import io.planbilling.shared.ApiProblem;
import io.planbilling.shared.Caller;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.PageQuery;
import io.planbilling.shared.PageView;
import io.planbilling.shared.Previews;
import io.planbilling.shared.Quote;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Traffic packages", description = "Prepaid monthly traffic allowances for acceleration devices")
@RestController
@RequestMapping("/api/v1/traffic-packages")
class TrafficPackageController {

    private final TrafficPackages packages;

    private final Previews previews;

    TrafficPackageController(TrafficPackages packages, Previews previews) {
        this.packages = packages;
        this.previews = previews;
    }

    @Schema(name = "TrafficPackagePurchaseRequest")
    record PurchaseRequest(@Schema(example = "DEVICE_2_FLOW_50G") @NotNull TrafficPackageType type,
            @Schema(example = "GUANGZHOU") @NotNull TrafficRegion region,
            @ArraySchema(schema = @Schema(example = "0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b")) @Nullable @Size(
                    max = 100) List<@NotNull UUID> deviceIds,
            @Schema(example = "true", defaultValue = "false") @Nullable Boolean autoRenew) {
    }

    record BindRequest(@ArraySchema(schema = @Schema(example = "0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b")) @NotNull @Size(
            min = 1, max = 100) List<@NotNull UUID> deviceIds) {
    }

    record AutoRenewRequest(@Schema(example = "false") @NotNull Boolean autoRenew) {
    }

    record TierChangeRequest(@Schema(example = "DEVICE_1_FLOW_20G") @NotNull TrafficPackageType type,
            @ArraySchema(schema = @Schema(example = "0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b"),
                    arraySchema = @Schema(
                            description = "downgrade only: the bound devices the next cycle keeps")) @Nullable @Size(
                                    max = 100) List<@NotNull UUID> deviceIds) {
    }

    @Operation(operationId = "getTrafficCatalog", summary = "Read the traffic package catalog",
            description = "The four types with capacity, device limit and price per region; both regions with what they cover and the pay-as-you-go price per GB.")
    @ApiResponse(responseCode = "200", description = "The catalog",
            content = @Content(schema = @Schema(implementation = TrafficCatalogView.class),
                    examples = @ExampleObject(name = "catalog", value = CATALOG_EXAMPLE)))
    @GetMapping("/catalog")
    TrafficCatalogView catalog() {
        return packages.catalog();
    }

    @Operation(operationId = "purchaseTrafficPackage", summary = "Buy a traffic package",
            description = "Valid from now for one calendar month in billing.zone (clamped to the month's end); paid from the balance. "
                    + "deviceIds may be empty; devices can be bound later. With ?preview=true answers 200 with the quote and changes nothing.")
    @ApiResponse(responseCode = "201", description = "The package bought",
            headers = @Header(name = "Location", required = true, description = "the new package",
                    schema = @Schema(type = "string", format = "uri-reference", maxLength = 200)),
            content = @Content(schema = @Schema(implementation = TrafficPackageView.class),
                    examples = @ExampleObject(name = "purchased", value = PACKAGE_EXAMPLE)))
    @ApiResponse(responseCode = "200", description = "?preview=true: what the purchase would charge and produce",
            content = @Content(schema = @Schema(implementation = TrafficPackageQuoteDocument.class),
                    examples = @ExampleObject(name = "preview", value = QUOTE_EXAMPLE)))
    @ApiProblem(value = ErrorCode.INSUFFICIENT_BALANCE, detail = "The balance of 20.00 does not cover 70.00 CNY.")
    @ApiProblem(value = ErrorCode.DEVICE_ALREADY_BOUND,
            detail = "Device 0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b is already bound to a live package; a device is bound to at most one live package.")
    @ApiProblem(value = ErrorCode.DEVICE_LIMIT_EXCEEDED,
            detail = "Package type DEVICE_1_FLOW_20G binds at most 1 device; 2 were given.")
    @ApiProblem(value = ErrorCode.UNKNOWN_DEVICE,
            detail = "Device 0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b does not exist.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = {
            @ExampleObject(name = "with a device", value = """
                    {"type": "DEVICE_2_FLOW_50G", "region": "GUANGZHOU",
                     "deviceIds": ["0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b"], "autoRenew": true}"""),
            @ExampleObject(name = "without devices",
                    value = """
                            {"type": "DEVICE_1_FLOW_20G", "region": "SILICON_VALLEY", "deviceIds": [], "autoRenew": false}""") }))
    @PostMapping
    ResponseEntity<Object> purchase(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Parameter(description = "quote without buying") @RequestParam(defaultValue = "false") boolean preview,
            @Valid @RequestBody PurchaseRequest request) {
        return previews.created(preview,
                () -> packages.purchase(caller.requireAccountId(),
                        new PurchaseCommand(request.type(), request.region(),
                                request.deviceIds() == null ? List.of() : request.deviceIds(),
                                Boolean.TRUE.equals(request.autoRenew()))),
                TrafficPackageController::location);
    }

    @Operation(operationId = "listTrafficPackages", summary = "List traffic packages, newest first",
            description = "Deleted packages are not listed.")
    @ApiResponse(responseCode = "200", description = "A page of packages",
            content = @Content(examples = @ExampleObject(name = "packages",
                    value = "{\"content\": [" + PACKAGE_EXAMPLE
                            + "], \"page\": {\"number\": 0, \"size\": 20, \"totalElements\": 1, \"totalPages\": 1}}")))
    @GetMapping
    PageView<TrafficPackageView> list(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @RequestParam(required = false) @Nullable TrafficPackageStatus status,
            @Parameter(description = "only packages this device is bound to") @RequestParam(
                    required = false) @Nullable UUID deviceId,
            @Valid @ParameterObject PageQuery page) {
        return packages.list(caller.requireAccountId(), status, deviceId, page);
    }

    @Operation(operationId = "getTrafficPackage", summary = "Read a traffic package")
    @ApiResponse(responseCode = "200", description = "The package",
            content = @Content(schema = @Schema(implementation = TrafficPackageView.class),
                    examples = @ExampleObject(name = "package", value = PACKAGE_EXAMPLE)))
    @GetMapping("/{id}")
    TrafficPackageView get(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        return packages.get(caller.requireAccountId(), id);
    }

    @Operation(operationId = "bindDevices", summary = "Bind more devices to a live package",
            description = "Up to the type's device limit. A binding cannot be removed or moved during the package's validity.")
    @ApiProblem(value = ErrorCode.DEVICE_ALREADY_BOUND,
            detail = "Device 0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b is already bound to a live package; a device is bound to at most one live package.")
    @ApiProblem(value = ErrorCode.PACKAGE_NOT_ACTIVE,
            detail = "Package 6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f is EXPIRED; only an ACTIVE package can take bindings.")
    @ApiProblem(value = ErrorCode.DEVICE_LIMIT_EXCEEDED,
            detail = "Package type DEVICE_2_FLOW_50G binds at most 2 devices; 2 bound and 1 more were given.")
    @ApiProblem(value = ErrorCode.UNKNOWN_DEVICE,
            detail = "Device 0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b does not exist.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(examples = @ExampleObject(name = "bind", value = """
                    {"deviceIds": ["9c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f"]}""")))
    @ApiResponse(responseCode = "200", description = "The package with its devices",
            content = @Content(schema = @Schema(implementation = TrafficPackageView.class),
                    examples = @ExampleObject(name = "bound", value = PACKAGE_EXAMPLE)))
    @PostMapping("/{id}/bindings")
    TrafficPackageView bind(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id,
            @Valid @RequestBody BindRequest request) {
        return packages.bind(caller.requireAccountId(), id, new BindCommand(request.deviceIds()));
    }

    @Operation(operationId = "updateTrafficPackage", summary = "Turn auto-renewal on or off",
            description = "Affects only what happens at the end of the current cycle.")
    @ApiProblem(value = ErrorCode.PACKAGE_NOT_ACTIVE,
            detail = "Package 6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f is EXHAUSTED; only an ACTIVE package can change auto-renewal.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(examples = @ExampleObject(name = "off", value = """
                    {"autoRenew": false}""")))
    @ApiResponse(responseCode = "200", description = "The package",
            content = @Content(schema = @Schema(implementation = TrafficPackageView.class),
                    examples = @ExampleObject(name = "changed", value = PACKAGE_EXAMPLE)))
    @PatchMapping("/{id}")
    TrafficPackageView setAutoRenew(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID id, @Valid @RequestBody AutoRenewRequest request) {
        return packages.changeAutoRenew(caller.requireAccountId(), id, request.autoRenew());
    }

    @Operation(operationId = "changeTier", summary = "Upgrade now or schedule a downgrade",
            description = "A larger type applies now: capacity and device limit grow, used traffic, expiry and bindings stay, and the price difference "
                    + "prorated by the time left is charged. A smaller type is pending until the next cycle; name the devices to keep in deviceIds "
                    + "when more are bound than it allows. With ?preview=true answers the quote and changes nothing.")
    @ApiResponse(responseCode = "200", description = "The package (or, with ?preview=true, the quote)",
            content = @Content(
                    schema = @Schema(oneOf = { TrafficPackageView.class, TrafficPackageQuoteDocument.class }),
                    examples = { @ExampleObject(name = "upgraded", value = PACKAGE_EXAMPLE),
                            @ExampleObject(name = "preview", value = QUOTE_EXAMPLE) }))
    @ApiProblem(value = ErrorCode.INSUFFICIENT_BALANCE, detail = "The balance of 1.00 does not cover 28.43 CNY.")
    @ApiProblem(value = ErrorCode.PACKAGE_NOT_ACTIVE,
            detail = "Package 6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f is EXPIRED; only an ACTIVE package can change tier.")
    @ApiProblem(value = ErrorCode.TIER_UNCHANGED,
            detail = "Package 6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f already is DEVICE_2_FLOW_50G.")
    @ApiProblem(value = ErrorCode.DEVICE_LIMIT_EXCEEDED,
            detail = "Package type DEVICE_1_FLOW_20G binds at most 1 device and 2 are bound; name the devices to keep in deviceIds.")
    @ApiProblem(value = ErrorCode.DEVICE_NOT_BOUND,
            detail = "Only devices bound to package 6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f can be kept.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(examples = { @ExampleObject(name = "upgrade", value = """
                    {"type": "DEVICE_3_FLOW_100G"}"""),
                    @ExampleObject(name = "downgrade keeping one device", value = """
                            {"type": "DEVICE_1_FLOW_20G", "deviceIds": ["0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b"]}""") }))
    @PostMapping("/{id}/tier-change")
    Object changeTier(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id,
            @Parameter(description = "quote without changing") @RequestParam(defaultValue = "false") boolean preview,
            @Valid @RequestBody TierChangeRequest request) {
        return previews.answer(preview, () -> packages.changeTier(caller.requireAccountId(), id,
                new TierChangeCommand(request.type(), request.deviceIds())));
    }

    @Operation(operationId = "cancelTierChange", summary = "Cancel a pending downgrade")
    @ApiProblem(value = ErrorCode.NO_PENDING_CHANGE,
            detail = "Package 6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f has no pending downgrade.")
    @ApiProblem(value = ErrorCode.PACKAGE_NOT_ACTIVE,
            detail = "Package 6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f is EXPIRED; only an ACTIVE package can cancel a pending downgrade.")
    @ApiResponse(responseCode = "200", description = "The package without a pending change",
            content = @Content(schema = @Schema(implementation = TrafficPackageView.class),
                    examples = @ExampleObject(name = "cancelled", value = PACKAGE_EXAMPLE)))
    @DeleteMapping("/{id}/tier-change")
    TrafficPackageView cancelTierChange(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID id) {
        return packages.cancelTierChange(caller.requireAccountId(), id);
    }

    @Operation(operationId = "renewTrafficPackage", summary = "Renew a spent package now",
            description = "Buys its successor valid from now: the same type (or the pending downgrade's), region and devices, paid from the balance (RENEWAL). "
                    + "With ?preview=true answers 200 with the quote and changes nothing.")
    @ApiResponse(responseCode = "201", description = "The successor",
            headers = @Header(name = "Location", required = true, description = "the successor",
                    schema = @Schema(type = "string", format = "uri-reference", maxLength = 200)),
            content = @Content(schema = @Schema(implementation = TrafficPackageView.class),
                    examples = @ExampleObject(name = "renewed", value = PACKAGE_EXAMPLE)))
    @ApiResponse(responseCode = "200", description = "?preview=true: what the renewal would charge and produce",
            content = @Content(schema = @Schema(implementation = TrafficPackageQuoteDocument.class),
                    examples = @ExampleObject(name = "preview", value = QUOTE_EXAMPLE)))
    @ApiProblem(value = ErrorCode.INSUFFICIENT_BALANCE, detail = "The balance of 20.00 does not cover 70.00 CNY.")
    @ApiProblem(value = ErrorCode.PACKAGE_STILL_ACTIVE,
            detail = "Package 6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f is still active until 2026-02-28T02:00:00Z with 1024 bytes left; stacking packages is not supported.")
    @ApiProblem(value = ErrorCode.ALREADY_RENEWED,
            detail = "Package 6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f was already renewed by package 9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d.")
    @ApiProblem(value = ErrorCode.PACKAGE_NOT_RENEWABLE,
            detail = "Package 6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f was unsubscribed; buy a new package instead.")
    @ApiProblem(value = ErrorCode.DEVICE_ALREADY_BOUND,
            detail = "A device of package 6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f is bound to another live package meanwhile.")
    @PostMapping("/{id}/renewal")
    ResponseEntity<Object> renew(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID id,
            @Parameter(description = "quote without buying") @RequestParam(defaultValue = "false") boolean preview) {
        return previews.created(preview, () -> packages.renew(caller.requireAccountId(), id),
                TrafficPackageController::location);
    }

    @Operation(operationId = "unsubscribeTrafficPackage", summary = "Unsubscribe a live package",
            description = "Ends it now, unbinds its devices, turns auto-renew off and refunds what was paid (purchase plus upgrades) × unused traffic ÷ capacity, "
                    + "rounded down. Answers the quote: the refund, the balance after and the package. ?preview=true changes nothing.")
    @ApiResponse(responseCode = "200", description = "The refund and the ended package",
            content = @Content(schema = @Schema(implementation = TrafficPackageQuoteDocument.class),
                    examples = @ExampleObject(name = "unsubscribed", value = UNSUBSCRIBED_EXAMPLE)))
    @ApiProblem(value = ErrorCode.PACKAGE_NOT_ACTIVE,
            detail = "Package 6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f is EXHAUSTED; only an ACTIVE package can be unsubscribed.")
    @PostMapping("/{id}/unsubscribe")
    Quote<TrafficPackageView> unsubscribe(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID id, @Parameter(description = "quote without unsubscribing") @RequestParam(
                    defaultValue = "false") boolean preview) {
        return previews.run(preview, () -> packages.unsubscribe(caller.requireAccountId(), id));
    }

    @Operation(operationId = "deleteTrafficPackage", summary = "Delete a spent or unsubscribed package",
            description = "Removes it from listings; its ledger entries and usage history stay.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiProblem(value = ErrorCode.PACKAGE_STILL_ACTIVE,
            detail = "Package 6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f is still active until 2026-02-28T02:00:00Z; unsubscribe it first.")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID id) {
        packages.delete(caller.requireAccountId(), id);
        return ResponseEntity.noContent().build();
    }

    private static String location(TrafficPackageView pkg) {
        return "/api/v1/traffic-packages/" + pkg.id();
    }

}
