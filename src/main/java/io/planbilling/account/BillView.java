package io.planbilling.account;

import io.planbilling.shared.Money;
import java.util.List;

/**
 * A monthly bill (docs/accounts-and-money.md).
 *
 * @param prepaid the month's ledger entries other than credits (purchases, renewals,
 * upgrades, refunds …)
 * @param postpaid usage owed at the end of the month, one line per resource, kind and
 * unit price
 */
public record BillView(String month, List<LedgerEntryView> prepaid, List<PostpaidLine> postpaid, Totals totals) {

    /**
     * @param prepaid paid from the balance in the month (the charges, as a positive
     * amount)
     * @param refunded given back to the balance in the month
     * @param postpaidDue owed for the month's postpaid usage
     */
    public record Totals(Money prepaid, Money refunded, Money postpaidDue) {
    }
}
