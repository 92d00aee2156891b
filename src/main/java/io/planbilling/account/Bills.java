package io.planbilling.account;

import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.Money;
import io.planbilling.shared.ProblemException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Monthly bills: the prepaid ledger entries of the month and every module's postpaid
 * lines.
 */
@Service
class Bills {

    private final Ledger ledger;

    private final AccountRepository accounts;

    private final ObjectProvider<PostpaidChargeSource> postpaidSources;

    private final BillingSettings settings;

    Bills(Ledger ledger, AccountRepository accounts, ObjectProvider<PostpaidChargeSource> postpaidSources,
            BillingSettings settings) {
        this.ledger = ledger;
        this.accounts = accounts;
        this.postpaidSources = postpaidSources;
        this.settings = settings;
    }

    /** The bill of a calendar month in the billing zone. */
    @Transactional(readOnly = true)
    public BillView bill(UUID accountId, YearMonth month) {
        if (!accounts.existsById(accountId)) {
            throw ProblemException.notFound("Account", accountId);
        }
        Instant from = month.atDay(1).atStartOfDay(settings.zone()).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(settings.zone()).toInstant();
        List<LedgerEntryView> prepaid = ledger.charges(accountId, from, to);
        List<PostpaidLine> postpaid = postpaidSources.orderedStream()
            .flatMap(source -> source.postpaidLines(accountId, from, to).stream())
            .sorted(Comparator.comparing(PostpaidLine::resourceType)
                .thenComparing(PostpaidLine::kind)
                .thenComparing(line -> line.resourceId().toString()))
            .toList();
        Money charged = settings.zero();
        Money refunded = settings.zero();
        for (LedgerEntryView entry : prepaid) {
            if (entry.amount().isNegative()) {
                charged = charged.plus(entry.amount().negate());
            }
            else {
                refunded = refunded.plus(entry.amount());
            }
        }
        Money due = postpaid.stream().map(PostpaidLine::amount).reduce(settings.zero(), Money::plus);
        return new BillView(month.toString(), prepaid, postpaid, new BillView.Totals(charged, refunded, due));
    }

}
