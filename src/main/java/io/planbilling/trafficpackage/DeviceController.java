package io.planbilling.trafficpackage;

import static io.planbilling.trafficpackage.TrafficExamples.DEVICE_EXAMPLE;
import static io.planbilling.trafficpackage.TrafficExamples.DEVICE_PAGE_EXAMPLE;

import io.planbilling.shared.ApiProblem;
import io.planbilling.shared.Caller;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.PageQuery;
import io.planbilling.shared.PageView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Devices", description = "Acceleration devices that traffic packages are bound to")
@RestController
@RequestMapping("/api/v1/devices")
class DeviceController {

    private final Devices devices;

    DeviceController(Devices devices) {
        this.devices = devices;
    }

    record CreateDeviceRequest(
            @Schema(example = "edge-router-07") @NotBlank @Size(max = 200) @Pattern(regexp = "\\P{Cntrl}*",
                    message = "must not contain control characters") String name,
            @Schema(description = "PAY_AS_YOU_GO (default) or CUT_OFF") @Nullable OveragePolicy overagePolicy) {
    }

    record UpdateDeviceRequest(
            @Schema(example = "edge-router-07b") @Nullable @Size(max = 200) @Pattern(regexp = "(?=.*\\S)\\P{Cntrl}*",
                    message = "must not be blank or contain control characters") String name,
            @Nullable OveragePolicy overagePolicy) {
    }

    @Operation(operationId = "createDevice", summary = "Create a device",
            description = "overagePolicy says what happens to traffic no package offsets: PAY_AS_YOU_GO bills it per GB, CUT_OFF blocks it.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(examples = @ExampleObject(name = "device", value = """
                    {"name": "edge-router-07", "overagePolicy": "CUT_OFF"}""")))
    @ApiResponse(responseCode = "201", description = "The device",
            headers = @Header(name = "Location", required = true, description = "the new device",
                    schema = @Schema(type = "string", format = "uri-reference", maxLength = 200)),
            content = @Content(schema = @Schema(implementation = DeviceView.class), examples = @ExampleObject(
                    name = "created",
                    value = """
                            {"id": "0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b", "name": "edge-router-07", "overagePolicy": "CUT_OFF",
                             "payMode": "PAY_AS_YOU_GO", "packageId": null, "createdAt": "2026-11-22T08:30:00Z"}""")))
    @PostMapping
    ResponseEntity<DeviceView> create(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Valid @RequestBody CreateDeviceRequest request) {
        DeviceView device = devices.create(caller.requireAccountId(), request.name(), request.overagePolicy());
        return ResponseEntity.created(URI.create("/api/v1/devices/" + device.id())).body(device);
    }

    @Operation(operationId = "listDevices", summary = "List devices, newest first",
            description = "bound=false lists the devices free to bind (not bound to a live package); bound=true those bound to one.")
    @ApiResponse(responseCode = "200", description = "A page of devices",
            content = @Content(examples = @ExampleObject(name = "free to bind", value = DEVICE_PAGE_EXAMPLE)))
    @GetMapping
    PageView<DeviceView> list(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Parameter(description = "filter by whether the device is bound to a live package") @RequestParam(
                    required = false) @Nullable Boolean bound,
            @Valid @ParameterObject PageQuery page) {
        return devices.list(caller.requireAccountId(), bound, page);
    }

    @Operation(operationId = "getDevice", summary = "Read a device",
            description = "With payMode (PACKAGE or PAY_AS_YOU_GO) and the live packageId.")
    @ApiResponse(responseCode = "200", description = "The device",
            content = @Content(schema = @Schema(implementation = DeviceView.class),
                    examples = @ExampleObject(name = "bound", value = DEVICE_EXAMPLE)))
    @GetMapping("/{id}")
    DeviceView get(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        return devices.get(caller.requireAccountId(), id);
    }

    @Operation(operationId = "updateDevice", summary = "Rename a device or change its overage policy",
            description = "Absent fields stay as they are.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(examples = { @ExampleObject(name = "rename", value = """
                    {"name": "edge-router-07b"}"""), @ExampleObject(name = "cut off overage", value = """
                    {"overagePolicy": "CUT_OFF"}""") }))
    @ApiResponse(responseCode = "200", description = "The device",
            content = @Content(schema = @Schema(implementation = DeviceView.class),
                    examples = @ExampleObject(name = "updated", value = DEVICE_EXAMPLE)))
    @PatchMapping("/{id}")
    DeviceView update(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id,
            @Valid @RequestBody UpdateDeviceRequest request) {
        return devices.update(caller.requireAccountId(), id, request.name(), request.overagePolicy());
    }

    @Operation(operationId = "getDeviceUsage", summary = "Read a device's traffic totals for an interval",
            description = "Bytes with occurredAt in [from, to): offset by packages, billed pay-as-you-go, and blocked.")
    @ApiResponse(responseCode = "200", description = "The totals", content = @Content(
            schema = @Schema(implementation = DeviceUsageView.class),
            examples = @ExampleObject(name = "usage",
                    value = """
                            {"deviceId": "0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b", "from": "2026-11-01T00:00:00Z",
                             "to": "2026-12-01T00:00:00Z", "packageBytes": 21474836480, "paygBytes": 1073741824, "blockedBytes": 0}""")))
    @ApiProblem(value = ErrorCode.VALIDATION_FAILED, detail = "The request is invalid: from must be before to.")
    @GetMapping("/{id}/usage")
    DeviceUsageView usage(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id,
            @Parameter(example = "2026-11-01T00:00:00Z") @RequestParam Instant from,
            @Parameter(example = "2026-12-01T00:00:00Z") @RequestParam Instant to) {
        return devices.usage(caller.requireAccountId(), id, from, to);
    }

}
