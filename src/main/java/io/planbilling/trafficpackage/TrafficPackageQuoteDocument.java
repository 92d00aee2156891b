package io.planbilling.trafficpackage;

import io.planbilling.shared.Money;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The shape of a {@code ?preview=true} answer about a traffic package, for the OpenAPI
 * document (a {@code Quote}).
 */
@Schema(name = "TrafficPackageQuote",
        description = "What the call charges or refunds, the balance it leaves and the package as it reads afterwards")
record TrafficPackageQuoteDocument(Money charge, Money refund, Money balanceAfter, TrafficPackageView result) {
}
