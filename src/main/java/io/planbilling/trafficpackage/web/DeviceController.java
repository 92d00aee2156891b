package io.planbilling.trafficpackage.web;

import io.planbilling.shared.Caller;
import io.planbilling.shared.PageQuery;
import io.planbilling.shared.PageView;
import io.planbilling.trafficpackage.DeviceUsageView;
import io.planbilling.trafficpackage.DeviceView;
import io.planbilling.trafficpackage.Devices;
import io.planbilling.trafficpackage.OveragePolicy;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
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

    record CreateDeviceRequest(@Schema(example = "edge-router-07") @NotBlank @Size(max = 200) String name,
            @Schema(description = "PAY_AS_YOU_GO (default) or CUT_OFF") @Nullable OveragePolicy overagePolicy) {
    }

    record UpdateDeviceRequest(
            @Schema(example = "edge-router-07b") @Nullable @Size(max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
            @Nullable OveragePolicy overagePolicy) {
    }

    @Operation(summary = "Create a device",
            description = "overagePolicy says what happens to traffic no package offsets: PAY_AS_YOU_GO bills it per GB, CUT_OFF blocks it.")
    @PostMapping
    ResponseEntity<DeviceView> create(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Valid @RequestBody CreateDeviceRequest request) {
        DeviceView device = devices.create(caller.requireAccountId(), request.name(), request.overagePolicy());
        return ResponseEntity.created(URI.create("/api/v1/devices/" + device.id())).body(device);
    }

    @Operation(summary = "List devices, newest first",
            description = "bound=false lists the devices free to bind (not bound to a live package); bound=true those bound to one.")
    @GetMapping
    PageView<DeviceView> list(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Parameter(description = "filter by whether the device is bound to a live package")
            @RequestParam(required = false) @Nullable Boolean bound, @Valid @ParameterObject PageQuery page) {
        return devices.list(caller.requireAccountId(), bound, page);
    }

    @Operation(summary = "Read a device", description = "With payMode (PACKAGE or PAY_AS_YOU_GO) and the live packageId.")
    @GetMapping("/{id}")
    DeviceView get(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        return devices.get(caller.requireAccountId(), id);
    }

    @Operation(summary = "Rename a device or change its overage policy", description = "Absent fields stay as they are.")
    @PatchMapping("/{id}")
    DeviceView update(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id,
            @Valid @RequestBody UpdateDeviceRequest request) {
        return devices.update(caller.requireAccountId(), id, request.name(), request.overagePolicy());
    }

    @Operation(summary = "Read a device's traffic totals for an interval",
            description = "Bytes with occurredAt in [from, to): offset by packages, billed pay-as-you-go, and blocked.")
    @GetMapping("/{id}/usage")
    DeviceUsageView usage(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id,
            @Parameter(example = "2026-11-01T00:00:00Z") @RequestParam Instant from,
            @Parameter(example = "2026-12-01T00:00:00Z") @RequestParam Instant to) {
        return devices.usage(caller.requireAccountId(), id, from, to);
    }
}
