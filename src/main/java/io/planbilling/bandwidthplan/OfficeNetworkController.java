package io.planbilling.bandwidthplan;

import io.planbilling.shared.ApiProblem;
import io.planbilling.shared.Caller;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.PageQuery;
import io.planbilling.shared.PageView;
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
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Office networks", description = "Cloud phone office networks and their phones; basic or premium bandwidth")
@RestController
@RequestMapping("/api/v1")
class OfficeNetworkController {

    private final OfficeNetworks networks;

    private final BandwidthSettings settings;

    OfficeNetworkController(OfficeNetworks networks, BandwidthSettings settings) {
        this.networks = networks;
        this.settings = settings;
    }

    record CreateNetworkRequest(@Schema(example = "Shanghai office") @NotBlank @Size(max = 200) String name,
            @Schema(example = "cn-shanghai",
                    description = "one of billing.bandwidth.regions") @NotBlank @Size(max = 64) String region) {
    }

    record CreatePhoneRequest(@Schema(example = "phone-01") @NotBlank @Size(max = 200) String name,
            @NotNull UUID officeNetworkId) {
    }

    @Operation(operationId = "createOfficeNetwork", summary = "Create an office network",
            description = "A new network runs on free basic bandwidth (5 Mbps).")
    @ApiResponse(responseCode = "201", description = "The network",
            content = @Content(schema = @Schema(implementation = OfficeNetworkView.class)),
            headers = @Header(name = "Location", required = true, description = "the new network",
                    schema = @Schema(type = "string", format = "uri-reference", maxLength = 200)))
    @PostMapping("/office-networks")
    ResponseEntity<OfficeNetworkView> create(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Valid @RequestBody CreateNetworkRequest request) {
        OfficeNetworkView created = networks.create(caller.requireAccountId(), request.name(),
                settings.region(request.region()));
        return ResponseEntity.created(URI.create("/api/v1/office-networks/" + created.id())).body(created);
    }

    @Operation(operationId = "listOfficeNetworks", summary = "List office networks, newest first")
    @GetMapping("/office-networks")
    PageView<OfficeNetworkView> list(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Valid @ParameterObject PageQuery page) {
        return networks.list(caller.requireAccountId(), page);
    }

    @Operation(operationId = "getOfficeNetwork", summary = "Read an office network",
            description = "With its bandwidth mode, effective peak and plan.")
    @GetMapping("/office-networks/{id}")
    OfficeNetworkView get(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        return networks.get(caller.requireAccountId(), id);
    }

    @Operation(operationId = "createCloudPhone", summary = "Create a cloud phone in an office network")
    @ApiResponse(responseCode = "201", description = "The phone",
            content = @Content(schema = @Schema(implementation = CloudPhoneView.class)),
            headers = @Header(name = "Location", required = true, description = "the new phone",
                    schema = @Schema(type = "string", format = "uri-reference", maxLength = 200)))
    @ApiProblem(value = ErrorCode.NOT_FOUND, detail = "Office network 3f1c… does not exist.")
    @PostMapping("/cloud-phones")
    ResponseEntity<CloudPhoneView> createPhone(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Valid @RequestBody CreatePhoneRequest request) {
        CloudPhoneView created = networks.createPhone(caller.requireAccountId(), request.name(),
                request.officeNetworkId());
        return ResponseEntity.created(URI.create("/api/v1/cloud-phones/" + created.id())).body(created);
    }

    @Operation(operationId = "listCloudPhones",
            summary = "List cloud phones, newest first, optionally of one office network")
    @ApiProblem(value = ErrorCode.NOT_FOUND, detail = "Office network 3f1c… does not exist.")
    @GetMapping("/cloud-phones")
    PageView<CloudPhoneView> phones(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Parameter(description = "only the phones of this network") @RequestParam(
                    required = false) @Nullable UUID officeNetworkId,
            @Valid @ParameterObject PageQuery page) {
        return networks.phones(caller.requireAccountId(), officeNetworkId, page);
    }

    @Operation(operationId = "getCloudPhone", summary = "Read a cloud phone")
    @GetMapping("/cloud-phones/{id}")
    CloudPhoneView phone(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        return networks.phone(caller.requireAccountId(), id);
    }

}
