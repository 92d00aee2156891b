package io.planbilling.bandwidthplan;

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
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Speed-limit rules", description = "Per-phone upstream and downstream limits within an associated plan")
@RestController
@RequestMapping("/api/v1/bandwidth-plans/{planId}/speed-limit-rules")
class SpeedLimitRuleController {

    private final SpeedLimitRules rules;

    SpeedLimitRuleController(SpeedLimitRules rules) {
        this.rules = rules;
    }

    record RuleRequest(@Schema(example = "design team") @NotBlank @Size(max = 100) String name,
            @Schema(example = "5", description = "1 to the plan's peak") @NotNull @Min(1) Integer upstreamMbps,
            @Schema(example = "10", description = "1 to the plan's peak") @NotNull @Min(1) Integer downstreamMbps,
            @Schema(description = "phones of the plan's office network, each in at most one rule of the plan") @NotNull @Size(
                    max = 1000) List<@NotNull UUID> cloudPhoneIds) {
    }

    record RulePatch(
            @Schema(example = "design team") @Nullable @Size(min = 1, max = 100) @Pattern(regexp = ".*\\S.*",
                    message = "must not be blank") String name,
            @Schema(example = "8") @Nullable @Min(1) Integer upstreamMbps,
            @Schema(example = "8") @Nullable @Min(1) Integer downstreamMbps) {
    }

    record PhonesRequest(@NotNull @Size(max = 1000) List<@NotNull UUID> cloudPhoneIds) {
    }

    @Operation(operationId = "createSpeedLimitRule", summary = "Create a speed-limit rule",
            description = "The plan must be associated with an office network.")
    @ApiProblem(value = ErrorCode.PLAN_NOT_ASSOCIATED,
            detail = "Bandwidth plan 8a2d… is not associated with an office network.")
    @ApiProblem(value = ErrorCode.PHONE_ALREADY_LIMITED,
            detail = "1 of the cloud phones are already in another speed-limit rule of the plan.")
    @ApiProblem(value = ErrorCode.RULE_NAME_TAKEN,
            detail = "The plan already has a speed-limit rule named 'design team'.")
    @ApiProblem(value = ErrorCode.PHONE_NOT_IN_NETWORK,
            detail = "1 of the cloud phones are not in the plan's office network.")
    @ApiProblem(value = ErrorCode.LIMIT_EXCEEDS_PEAK,
            detail = "A rule's limits must be between 1 Mbps and the plan's peak of 20 Mbps.")
    @ApiResponse(responseCode = "201", description = "The rule",
            content = @Content(schema = @Schema(implementation = SpeedLimitRuleView.class)),
            headers = @Header(name = "Location", required = true, description = "the new rule",
                    schema = @Schema(type = "string", format = "uri-reference", maxLength = 200)))
    @ApiProblem(value = ErrorCode.PLAN_EXPIRED, detail = "Bandwidth plan 8a2d… has expired.")
    @ApiProblem(value = ErrorCode.PLAN_ENDED, detail = "Bandwidth plan 8a2d… has ended (UNSUBSCRIBED).")
    @PostMapping
    ResponseEntity<SpeedLimitRuleView> create(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID planId, @Valid @RequestBody RuleRequest request) {
        SpeedLimitRuleView created = rules.create(caller.requireAccountId(), planId, request.name(),
                request.upstreamMbps(), request.downstreamMbps(), request.cloudPhoneIds());
        return ResponseEntity
            .created(URI.create("/api/v1/bandwidth-plans/" + planId + "/speed-limit-rules/" + created.id()))
            .body(created);
    }

    @Operation(operationId = "listSpeedLimitRules", summary = "List the plan's speed-limit rules, newest first")
    @GetMapping
    PageView<SpeedLimitRuleView> list(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID planId, @Valid @ParameterObject PageQuery page) {
        return rules.list(caller.requireAccountId(), planId, page);
    }

    @Operation(operationId = "getSpeedLimitRule", summary = "Read a speed-limit rule")
    @GetMapping("/{ruleId}")
    SpeedLimitRuleView get(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID planId,
            @PathVariable UUID ruleId) {
        return rules.get(caller.requireAccountId(), planId, ruleId);
    }

    @Operation(operationId = "updateSpeedLimitRule", summary = "Edit a rule's name or limits",
            description = "Fields left out stay as they are.")
    @ApiProblem(value = ErrorCode.RULE_NAME_TAKEN,
            detail = "The plan already has a speed-limit rule named 'design team'.")
    @ApiProblem(value = ErrorCode.LIMIT_EXCEEDS_PEAK,
            detail = "A rule's limits must be between 1 Mbps and the plan's peak of 20 Mbps.")
    @ApiProblem(value = ErrorCode.PLAN_NOT_ASSOCIATED,
            detail = "Bandwidth plan 8a2d… is not associated with an office network.")
    @ApiProblem(value = ErrorCode.PLAN_EXPIRED, detail = "Bandwidth plan 8a2d… has expired.")
    @ApiProblem(value = ErrorCode.PLAN_ENDED, detail = "Bandwidth plan 8a2d… has ended (UNSUBSCRIBED).")
    @PatchMapping("/{ruleId}")
    SpeedLimitRuleView update(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID planId, @PathVariable UUID ruleId, @Valid @RequestBody RulePatch request) {
        if (request.name() == null && request.upstreamMbps() == null && request.downstreamMbps() == null) {
            throw ProblemException.invalid("name", "or upstreamMbps or downstreamMbps must be given");
        }
        return rules.update(caller.requireAccountId(), planId, ruleId, request.name(), request.upstreamMbps(),
                request.downstreamMbps());
    }

    @Operation(operationId = "replaceSpeedLimitRulePhones", summary = "Replace the rule's cloud phones")
    @ApiProblem(value = ErrorCode.PHONE_ALREADY_LIMITED,
            detail = "1 of the cloud phones are already in another speed-limit rule of the plan.")
    @ApiProblem(value = ErrorCode.PHONE_NOT_IN_NETWORK,
            detail = "1 of the cloud phones are not in the plan's office network.")
    @ApiProblem(value = ErrorCode.PLAN_NOT_ASSOCIATED,
            detail = "Bandwidth plan 8a2d… is not associated with an office network.")
    @ApiProblem(value = ErrorCode.PLAN_EXPIRED, detail = "Bandwidth plan 8a2d… has expired.")
    @ApiProblem(value = ErrorCode.PLAN_ENDED, detail = "Bandwidth plan 8a2d… has ended (UNSUBSCRIBED).")
    @PutMapping("/{ruleId}/cloud-phones")
    SpeedLimitRuleView replacePhones(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID planId, @PathVariable UUID ruleId, @Valid @RequestBody PhonesRequest request) {
        return rules.replacePhones(caller.requireAccountId(), planId, ruleId, request.cloudPhoneIds());
    }

    @Operation(operationId = "deleteSpeedLimitRule", summary = "Delete a speed-limit rule")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiProblem(value = ErrorCode.PLAN_NOT_ASSOCIATED,
            detail = "Bandwidth plan 8a2d… is not associated with an office network.")
    @ApiProblem(value = ErrorCode.PLAN_EXPIRED, detail = "Bandwidth plan 8a2d… has expired.")
    @ApiProblem(value = ErrorCode.PLAN_ENDED, detail = "Bandwidth plan 8a2d… has ended (UNSUBSCRIBED).")
    @DeleteMapping("/{ruleId}")
    ResponseEntity<Void> delete(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID planId, @PathVariable UUID ruleId) {
        rules.delete(caller.requireAccountId(), planId, ruleId);
        return ResponseEntity.noContent().build();
    }

}
