package io.planbilling.bandwidthplan.web;

import io.planbilling.bandwidthplan.BandwidthPlanView;
import io.planbilling.shared.Money;

/** The shape of a {@code ?preview=true} answer about a plan, for the OpenAPI document (a {@code Quote}). */
record PlanQuoteDocument(Money charge, Money refund, Money balanceAfter, BandwidthPlanView result) {
}
