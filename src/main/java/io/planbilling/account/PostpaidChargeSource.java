package io.planbilling.account;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Implemented by each plan module that accrues postpaid charges (pay-as-you-go traffic,
 * hourly bandwidth, inbound data): the bill asks every source for its lines. Postpaid
 * charges never touch the balance (docs/accounts-and-money.md).
 */
public interface PostpaidChargeSource {

    /**
     * The account's postpaid lines for usage in {@code [from, to)}, aggregated per
     * resource, kind, region and unit price.
     */
    List<PostpaidLine> postpaidLines(UUID accountId, Instant from, Instant to);

}
