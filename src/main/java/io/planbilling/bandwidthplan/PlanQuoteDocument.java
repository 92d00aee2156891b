package io.planbilling.bandwidthplan;

import io.planbilling.shared.Money;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The shape of a {@code ?preview=true} answer about a plan, for the OpenAPI document (a
 * {@code Quote}).
 */
@Schema(name = "BandwidthPlanQuote",
        description = "What the call charges or refunds, the balance it leaves and the plan as it reads afterwards")
record PlanQuoteDocument(Money charge, Money refund, Money balanceAfter, BandwidthPlanView result) {
}
