package io.planbilling.account;

import io.planbilling.shared.BillingSettings;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.Money;
import io.planbilling.shared.PageQuery;
import io.planbilling.shared.PageView;
import io.planbilling.shared.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The account module's public face: accounts and keys for the operator, and the balance
 * operations that the plan modules call inside their own transactions ({@link #charge},
 * {@link #refund}).
 */
@Service
public class Accounts {

    private final AccountRepository accounts;

    private final ApiKeys apiKeys;

    private final Ledger ledger;

    private final LedgerDebits ledgerDebits;

    private final BillingSettings settings;

    private final Clock clock;

    Accounts(AccountRepository accounts, ApiKeys apiKeys, Ledger ledger, LedgerDebits ledgerDebits,
            BillingSettings settings, Clock clock) {
        this.accounts = accounts;
        this.apiKeys = apiKeys;
        this.ledger = ledger;
        this.ledgerDebits = ledgerDebits;
        this.settings = settings;
        this.clock = clock;
    }

    @Transactional
    public CreatedAccount create(String name) {
        Instant now = clock.instant();
        Account account = accounts.saveAndFlush(new Account(name.strip(), now));
        IssuedApiKey key = apiKeys.issue(account.id(), now);
        return new CreatedAccount(account.id(), account.name(), settings.zero(), account.createdAt(), key.apiKey());
    }

    @Transactional(readOnly = true)
    public AccountView get(UUID accountId) {
        return accounts.findById(accountId)
            .map(this::view)
            .orElseThrow(() -> ProblemException.notFound("Account", accountId));
    }

    @Transactional(readOnly = true)
    public PageView<AccountView> list(PageQuery page) {
        return PageView.of(
                accounts.findAll(page.toPageable(Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id")))),
                this::view);
    }

    /**
     * Tops up the prepaid balance. {@code reference} is the payer's own id of the
     * payment, unique per account: a repeat is refused with 409
     * {@code DUPLICATE_REFERENCE}, so a finance system can retry safely.
     */
    @Transactional
    public LedgerEntryView credit(UUID accountId, Money amount, String reference) {
        requirePositive(amount);
        try {
            return ledger
                .post(accountId, clock.instant(), LedgerKind.CREDIT, amount, null, null, "Credit " + reference,
                        reference)
                .orElseThrow(() -> ProblemException.notFound("Account", accountId));
        }
        catch (DuplicateKeyException duplicate) {
            throw new ProblemException(ErrorCode.DUPLICATE_REFERENCE,
                    "A credit with reference '" + reference + "' was already applied to this account.");
        }
    }

    /** Issues a new key and revokes every earlier one, at once. */
    @Transactional
    public IssuedApiKey rotateKey(UUID accountId) {
        accounts.lockById(accountId).orElseThrow(() -> ProblemException.notFound("Account", accountId));
        Instant now = clock.instant();
        apiKeys.revokeAll(accountId, now);
        return apiKeys.issue(accountId, now);
    }

    @Transactional(readOnly = true)
    public PageView<LedgerEntryView> ledger(UUID accountId, PageQuery page) {
        if (!accounts.existsById(accountId)) {
            throw ProblemException.notFound("Account", accountId);
        }
        return PageView.of(ledger.page(accountId, page), page, ledger.count(accountId));
    }

    /**
     * Pays {@code amount} from the prepaid balance; joins the caller's transaction.
     * Throws 402 {@code INSUFFICIENT_BALANCE} (and changes nothing) when the balance does
     * not cover it. A zero amount posts nothing.
     * @param amount what is charged, positive
     */
    @Transactional
    public Optional<LedgerEntryView> charge(UUID accountId, Money amount, LedgerKind kind, String resourceType,
            UUID resourceId, String description) {
        if (nothingToPost(amount)) {
            return Optional.empty();
        }
        Optional<LedgerEntryView> entry = debit(accountId, amount, kind, resourceType, resourceId, description);
        if (entry.isEmpty()) {
            Money balance = balance(accountId);
            throw new ProblemException(ErrorCode.INSUFFICIENT_BALANCE,
                    "The balance of " + balance.amount().toPlainString() + " does not cover "
                            + amount.amount().toPlainString() + " " + amount.currency() + ".");
        }
        return entry;
    }

    /**
     * Pays {@code amount} from the prepaid balance when it suffices; joins the caller's
     * transaction. Unlike {@link #charge} it does not throw when the balance is short (a
     * thrown exception would mark the caller's transaction rollback-only): it returns
     * {@code false} and changes nothing, so a background renewal can record the failure
     * and carry on in the same transaction.
     * @param amount what is charged, zero or positive; zero posts nothing and succeeds
     */
    @Transactional
    public boolean tryCharge(UUID accountId, Money amount, LedgerKind kind, String resourceType, UUID resourceId,
            String description) {
        return nothingToPost(amount)
                || debit(accountId, amount, kind, resourceType, resourceId, description).isPresent();
    }

    /**
     * A debit of the prepaid balance, one of many asked for at once
     * ({@link #tryChargeAll}).
     *
     * @param amount what is charged, zero or positive
     */
    public record Debit(UUID accountId, Money amount, LedgerKind kind, String resourceType, UUID resourceId,
            String description) {
    }

    /**
     * {@link #tryCharge} of many debits at once, set-based (a lifecycle chunk's
     * auto-renewals); joins the caller's transaction. The outcome is that of calling
     * {@link #tryCharge} for each in the order given: a debit is posted when the balance
     * covers it at its turn (a later, smaller one may still be), and the low-balance
     * alert is recorded at the debit that crosses the threshold.
     * @return for each debit, in the order given, whether it was posted (a zero amount
     * posts nothing and succeeds)
     */
    @Transactional
    public List<Boolean> tryChargeAll(List<Debit> debits) {
        List<Debit> posting = new ArrayList<>();
        for (Debit debit : debits) {
            if (!debit.amount().isZero()) {
                requirePositive(debit.amount());
                posting.add(debit);
            }
        }
        Iterator<Boolean> posted = ledgerDebits.post(posting, clock.instant()).iterator();
        return debits.stream().map(debit -> debit.amount().isZero() || posted.next()).toList();
    }

    /**
     * Gives {@code amount} back to the prepaid balance; joins the caller's transaction. A
     * zero amount posts nothing.
     * @param amount what is refunded, positive
     */
    @Transactional
    public Optional<LedgerEntryView> refund(UUID accountId, Money amount, LedgerKind kind, String resourceType,
            UUID resourceId, String description) {
        if (nothingToPost(amount)) {
            return Optional.empty();
        }
        return Optional
            .of(ledger.post(accountId, clock.instant(), kind, amount, resourceType, resourceId, description, null)
                .orElseThrow(() -> ProblemException.notFound("Account", accountId)));
    }

    @Transactional(readOnly = true)
    public Money balance(UUID accountId) {
        return get(accountId).balance();
    }

    /**
     * The balances of several accounts, read in one statement; an account that does not
     * exist is absent.
     */
    @Transactional(readOnly = true)
    public Map<UUID, Money> balances(Collection<UUID> accountIds) {
        Map<UUID, Money> balances = new HashMap<>();
        accounts.findAllById(accountIds)
            .forEach(account -> balances.put(account.id(), Money.of(account.balance(), settings.currency())));
        return balances;
    }

    /** Posts {@code amount} as a debit; empty when the balance does not cover it. */
    private Optional<LedgerEntryView> debit(UUID accountId, Money amount, LedgerKind kind, String resourceType,
            UUID resourceId, String description) {
        return ledger.post(accountId, clock.instant(), kind, amount.negate(), resourceType, resourceId, description,
                null);
    }

    /**
     * A zero amount posts nothing; a negative one, or one in another currency, is
     * refused.
     */
    private boolean nothingToPost(Money amount) {
        if (amount.isZero()) {
            return true;
        }
        requirePositive(amount);
        return false;
    }

    private void requirePositive(Money amount) {
        if (!amount.isPositive()) {
            throw ProblemException.invalid("amount", "must be greater than 0");
        }
        if (!amount.currency().equals(settings.currency())) {
            throw ProblemException.invalid("amount.currency", "must be " + settings.currency());
        }
    }

    private AccountView view(Account account) {
        return new AccountView(account.id(), account.name(), Money.of(account.balance(), settings.currency()),
                account.createdAt());
    }

}
