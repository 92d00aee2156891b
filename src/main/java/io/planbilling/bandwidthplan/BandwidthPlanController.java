package io.planbilling.bandwidthplan;

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
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Bandwidth plans",
        description = "Premium bandwidth for office networks: purchase, association, peak "
                + "changes, renewal, unsubscribe, delete and monitoring")
@RestController
@RequestMapping("/api/v1/bandwidth-plans")
class BandwidthPlanController {

    private static final String PREVIEW = "true: validate and answer with what would be charged or refunded and the "
            + "resulting plan (200), changing nothing";

    private final BandwidthPlans plans;

    private final BandwidthSamples samples;

    private final Previews previews;

    private final BandwidthSettings settings;

    BandwidthPlanController(BandwidthPlans plans, BandwidthSamples samples, Previews previews,
            BandwidthSettings settings) {
        this.plans = plans;
        this.samples = samples;
        this.previews = previews;
        this.settings = settings;
    }

    record DurationInput(@Schema(example = "MONTH") @NotNull PlanDuration.Unit unit,
            @Schema(example = "1", description = "WEEK 1; MONTH 1, 2, 3, 6; YEAR 1, 2, 3") @NotNull Integer count) {

        PlanDuration toDuration() {
            return new PlanDuration(unit, count);
        }
    }

    @Schema(name = "BandwidthPlanPurchaseRequest")
    record PurchaseRequest(
            @Schema(example = "cn-shanghai",
                    description = "one of billing.bandwidth.regions") @NotBlank @Size(max = 64) String region,
            @Schema(example = "SUBSCRIPTION") @NotNull PaymentType paymentType,
            @Schema(description = "SUBSCRIPTION only") @Valid @Nullable DurationInput duration,
            @Schema(description = "SUBSCRIPTION only; not with a one-week duration",
                    example = "false") @Nullable Boolean autoRenew,
            @Schema(description = "PAY_AS_YOU_GO only") @Nullable ChargeType chargeType,
            @Schema(example = "20",
                    description = "2–1000 Mbps (2–200 for PAY_BY_TRAFFIC)") @NotNull Integer peakBandwidthMbps,
            @Schema(description = "associate at purchase (optional)") @Nullable UUID officeNetworkId) {
    }

    record AssociateRequest(@NotNull UUID officeNetworkId) {
    }

    record PeakRequest(@Schema(example = "50") @NotNull Integer peakBandwidthMbps) {
    }

    record RenewalRequest(@NotNull @Valid DurationInput duration) {
    }

    @Operation(operationId = "getBandwidthCatalog", summary = "Read the bandwidth catalog",
            description = "Regions, subscription durations, peak ranges, the prices in force and the basic bandwidth.")
    @GetMapping("/catalog")
    BandwidthCatalog catalog() {
        return plans.catalog();
    }

    @Operation(operationId = "purchaseBandwidthPlan", summary = "Buy a bandwidth plan", description = """
            A subscription is paid now from the balance (402 when it does not suffice); pay-as-you-go is billed \
            hourly on the bill. Each plan holds an exclusive public IP. With officeNetworkId the association starts \
            at once (status CHANGING until the worker applies it).""")
    @ApiResponse(responseCode = "201", description = "bought",
            content = @Content(schema = @Schema(implementation = BandwidthPlanView.class)),
            headers = @Header(name = "Location", required = true, description = "the new plan",
                    schema = @Schema(type = "string", format = "uri-reference", maxLength = 200)))
    @ApiResponse(responseCode = "200", description = "preview",
            content = @Content(schema = @Schema(implementation = PlanQuoteDocument.class)))
    @ApiProblem(value = ErrorCode.INSUFFICIENT_BALANCE, detail = "The balance of 10.00 does not cover 500.00 CNY.")
    @ApiProblem(value = ErrorCode.NOT_FOUND, detail = "Office network 3f1c… does not exist.")
    @ApiProblem(value = ErrorCode.IP_POOL_EXHAUSTED,
            detail = "Every address of the public IP pool is held by a live plan; none is free.")
    @ApiProblem(value = ErrorCode.NETWORK_ALREADY_ASSOCIATED,
            detail = "Office network 3f1c… is already associated with bandwidth plan 8a2d….")
    @ApiProblem(value = ErrorCode.PARAMETER_NOT_ALLOWED,
            detail = "The field chargeType does not apply to SUBSCRIPTION plans; leave it out.")
    @ApiProblem(value = ErrorCode.AUTO_RENEW_NOT_ALLOWED,
            detail = "Auto-renewal is not offered for one-week subscriptions.")
    @ApiProblem(value = ErrorCode.REGION_MISMATCH,
            detail = "Office network 3f1c… is in cn-hangzhou; the plan is in cn-shanghai.")
    @PostMapping
    ResponseEntity<?> purchase(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Parameter(description = PREVIEW) @RequestParam(defaultValue = "false") boolean preview,
            @Valid @RequestBody PurchaseRequest request) {
        UUID accountId = caller.requireAccountId();
        PurchaseCommand command = new PurchaseCommand(settings.region(request.region()), request.paymentType(),
                request.duration() == null ? null : request.duration().toDuration(), request.autoRenew(),
                request.chargeType(), request.peakBandwidthMbps(), request.officeNetworkId());
        return previews.created(preview, () -> plans.purchase(accountId, command),
                plan -> "/api/v1/bandwidth-plans/" + plan.id());
    }

    @Operation(operationId = "listBandwidthPlans", summary = "List bandwidth plans, newest first",
            description = "Deleted plans are not listed.")
    @GetMapping
    PageView<BandwidthPlanView> list(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @Parameter(
            description = "only plans in this status") @RequestParam(required = false) @Nullable PlanStatus status,
            @Valid @ParameterObject PageQuery page) {
        return plans.list(caller.requireAccountId(), status, page);
    }

    @Operation(operationId = "getBandwidthPlan", summary = "Read a bandwidth plan")
    @GetMapping("/{id}")
    BandwidthPlanView get(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
        return plans.get(caller.requireAccountId(), id);
    }

    @Operation(operationId = "associateOfficeNetwork", summary = "Associate the plan with an office network",
            description = """
                    Answers 202 with status CHANGING; a background worker switches the network to the plan's peak within \
                    seconds and the plan becomes IN_USE. Poll the plan or the network to see it applied.""")
    @ApiResponse(responseCode = "202", description = "association requested",
            content = @Content(schema = @Schema(implementation = BandwidthPlanView.class)))
    @ApiProblem(value = ErrorCode.PLAN_ALREADY_ASSOCIATED,
            detail = "Bandwidth plan 8a2d… is already associated with office network 3f1c…; dissociate it first.")
    @ApiProblem(value = ErrorCode.NETWORK_ALREADY_ASSOCIATED,
            detail = "Office network 3f1c… is already associated with bandwidth plan 5b7e….")
    @ApiProblem(value = ErrorCode.PLAN_EXPIRED, detail = "Bandwidth plan 8a2d… has expired.")
    @ApiProblem(value = ErrorCode.REGION_MISMATCH,
            detail = "Office network 3f1c… is in cn-hangzhou; the plan is in cn-shanghai.")
    @ApiProblem(value = ErrorCode.PLAN_ENDED, detail = "Bandwidth plan 8a2d… has ended (UNSUBSCRIBED).")
    @PutMapping("/{id}/office-network")
    ResponseEntity<BandwidthPlanView> associate(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID id, @Valid @RequestBody AssociateRequest request) {
        return ResponseEntity.accepted()
            .body(plans.associate(caller.requireAccountId(), id, request.officeNetworkId()));
    }

    @Operation(operationId = "dissociateOfficeNetwork", summary = "Dissociate the plan from its office network",
            description = """
                    The network reverts to basic bandwidth (its public access settings stay), the plan's speed-limit rules \
                    are purged and the plan becomes NOT_ASSOCIATED; billing goes on.""")
    @ApiProblem(value = ErrorCode.PLAN_NOT_ASSOCIATED,
            detail = "Bandwidth plan 8a2d… is not associated with an office network.")
    @ApiProblem(value = ErrorCode.PLAN_EXPIRED, detail = "Bandwidth plan 8a2d… has expired.")
    @ApiProblem(value = ErrorCode.PLAN_ENDED, detail = "Bandwidth plan 8a2d… has ended (UNSUBSCRIBED).")
    @DeleteMapping("/{id}/office-network")
    BandwidthPlanView dissociate(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID id) {
        return plans.dissociate(caller.requireAccountId(), id);
    }

    @Operation(operationId = "changePeakBandwidth", summary = "Upgrade or downgrade the peak bandwidth",
            description = """
                    Effective at once for the whole network. A subscription is charged (half-even) or refunded (rounded down) \
                    the price difference prorated over the time left in its paid terms; pay-by-bandwidth bills each hour at \
                    the highest peak in force in it.""")
    @ApiResponse(responseCode = "200", description = "the changed plan, or with preview=true the quote",
            content = @Content(schema = @Schema(oneOf = { BandwidthPlanView.class, PlanQuoteDocument.class })))
    @ApiProblem(value = ErrorCode.INSUFFICIENT_BALANCE, detail = "The balance of 10.00 does not cover 41.67 CNY.")
    @ApiProblem(value = ErrorCode.RULE_EXCEEDS_PEAK,
            detail = "Speed-limit rules ['design team'] limit above 10 Mbps; lower or delete them first.")
    @ApiProblem(value = ErrorCode.PLAN_EXPIRED, detail = "Bandwidth plan 8a2d… has expired.")
    @ApiProblem(value = ErrorCode.PLAN_ENDED, detail = "Bandwidth plan 8a2d… has ended (UNSUBSCRIBED).")
    @PostMapping("/{id}/peak-bandwidth")
    ResponseEntity<?> changePeak(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID id,
            @Parameter(description = PREVIEW) @RequestParam(defaultValue = "false") boolean preview,
            @Valid @RequestBody PeakRequest request) {
        UUID accountId = caller.requireAccountId();
        return answer(preview, () -> plans.changePeak(accountId, id, request.peakBandwidthMbps()));
    }

    @Operation(operationId = "renewBandwidthPlan", summary = "Renew a subscription", description = """
            Any offered duration, before expiry; the new term starts at the current expiry and is paid now \
            from the balance.""")
    @ApiResponse(responseCode = "200", description = "the renewed plan, or with preview=true the quote",
            content = @Content(schema = @Schema(oneOf = { BandwidthPlanView.class, PlanQuoteDocument.class })))
    @ApiProblem(value = ErrorCode.INSUFFICIENT_BALANCE, detail = "The balance of 10.00 does not cover 500.00 CNY.")
    @ApiProblem(value = ErrorCode.NOT_A_SUBSCRIPTION,
            detail = "Bandwidth plan 8a2d… is pay-as-you-go; only subscriptions are renewed or unsubscribed.")
    @ApiProblem(value = ErrorCode.PLAN_EXPIRED,
            detail = "Bandwidth plan 8a2d… expired at 2026-11-22T08:30:00Z; buy a new plan instead.")
    @ApiProblem(value = ErrorCode.PLAN_ENDED, detail = "Bandwidth plan 8a2d… has ended (UNSUBSCRIBED).")
    @PostMapping("/{id}/renewals")
    ResponseEntity<?> renew(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id,
            @Parameter(description = PREVIEW) @RequestParam(defaultValue = "false") boolean preview,
            @Valid @RequestBody RenewalRequest request) {
        UUID accountId = caller.requireAccountId();
        return answer(preview, () -> plans.renew(accountId, id, request.duration().toDuration().requireOffered()));
    }

    @Operation(operationId = "unsubscribeBandwidthPlan", summary = "Unsubscribe a subscription", description = """
            Ends it now, releases its IP and refunds the unused share of its paid terms (rounded down). An associated \
            plan needs force=true, which dissociates it first.""")
    @ApiResponse(responseCode = "200", description = "the ended plan, or with preview=true the quote",
            content = @Content(schema = @Schema(oneOf = { BandwidthPlanView.class, PlanQuoteDocument.class })))
    @ApiProblem(value = ErrorCode.NOT_A_SUBSCRIPTION,
            detail = "Bandwidth plan 8a2d… is pay-as-you-go; pay-as-you-go plans are deleted.")
    @ApiProblem(value = ErrorCode.PLAN_ASSOCIATED,
            detail = "Bandwidth plan 8a2d… is associated with office network 3f1c…; dissociate it first or pass force=true.")
    @ApiProblem(value = ErrorCode.PLAN_EXPIRED, detail = "Bandwidth plan 8a2d… has expired.")
    @ApiProblem(value = ErrorCode.PLAN_ENDED, detail = "Bandwidth plan 8a2d… has ended (UNSUBSCRIBED).")
    @PostMapping("/{id}/unsubscribe")
    ResponseEntity<?> unsubscribe(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable UUID id,
            @Parameter(description = PREVIEW) @RequestParam(defaultValue = "false") boolean preview,
            @Parameter(description = "dissociate an associated plan first") @RequestParam(
                    defaultValue = "false") boolean force) {
        UUID accountId = caller.requireAccountId();
        return answer(preview, () -> plans.unsubscribe(accountId, id, force));
    }

    @Operation(operationId = "deleteBandwidthPlan", summary = "Delete a pay-as-you-go plan", description = """
            Bills the started hour (pay-by-bandwidth) or the inbound traffic (pay-by-traffic) up to now, stops \
            billing and releases the IP. An associated plan needs force=true, which dissociates it first.""")
    @ApiResponse(responseCode = "204", description = "deleted")
    @ApiProblem(value = ErrorCode.NOT_PAY_AS_YOU_GO,
            detail = "Bandwidth plan 8a2d… is a subscription; subscriptions are unsubscribed, not deleted.")
    @ApiProblem(value = ErrorCode.PLAN_ASSOCIATED,
            detail = "Bandwidth plan 8a2d… is associated with office network 3f1c…; dissociate it first or pass force=true.")
    @ApiProblem(value = ErrorCode.PLAN_ENDED, detail = "Bandwidth plan 8a2d… has ended (UNSUBSCRIBED).")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id,
            @Parameter(description = "dissociate an associated plan first") @RequestParam(
                    defaultValue = "false") boolean force) {
        plans.delete(caller.requireAccountId(), id, force);
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "getBandwidthMonitoring", summary = "Monitor the plan's inbound and outbound bandwidth",
            description = """
                    Per bucket the average and the peak Mbps of the networks the plan was associated with, while it was. \
                    Buckets: 1 min for 1h, 5 min for 6h, 15 min for 24h, 1 h for 7d, 4 h for 30d.""")
    @GetMapping("/{id}/monitoring")
    MonitoringView monitoring(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable UUID id,
            @Parameter(description = "1h, 6h, 24h, 7d or 30d", example = "1h",
                    schema = @Schema(allowableValues = { "1h", "6h", "24h", "7d", "30d" },
                            defaultValue = "1h")) @RequestParam(defaultValue = "1h") String period) {
        return samples.monitoring(caller.requireAccountId(), id, period);
    }

    private ResponseEntity<?> answer(boolean preview, Supplier<Quote<BandwidthPlanView>> operation) {
        return ResponseEntity.ok(previews.answer(preview, operation));
    }

}
