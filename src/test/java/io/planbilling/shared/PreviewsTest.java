package io.planbilling.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planbilling.account.Accounts;
import io.planbilling.account.LedgerEntryView;
import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.TestAccount;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The preview mechanism runs the real operation, with its rules, and persists nothing.
 */
@ApiTest
class PreviewsTest {

    @Autowired
    Previews previews;

    @Autowired
    Accounts accounts;

    @Autowired
    BillingSettings settings;

    @Autowired
    TestApi api;

    @Test
    void answersWhatTheOperationWouldDoAndKeepsNothing() {
        TestAccount account = api.createAccount("preview", "10.00");

        Quote<LedgerEntryView> quote = previews.dryRun(() -> {
            LedgerEntryView charged = accounts
                .charge(account.id(), settings.money("4.00"), io.planbilling.account.LedgerKind.PURCHASE, "TEST",
                        account.id(), "previewed")
                .orElseThrow();
            return new Quote<>(settings.money("4.00"), settings.zero(), accounts.balance(account.id()), charged);
        });

        assertThat(quote.balanceAfter()).isEqualTo(settings.money("6.00"));
        assertThat(quote.result().balanceAfter()).isEqualTo(settings.money("6.00"));
        assertThat(api.balance(account)).isEqualTo("10.00");
        assertThat(api.get("/api/v1/account/ledger", account.apiKey()).body().at("/page/totalElements").asLong())
            .isEqualTo(1);
    }

    @Test
    void appliesTheSameRulesAsTheRealCall() {
        TestAccount account = api.createAccount("preview refused", "1.00");

        assertThatThrownBy(() -> previews.dryRun(() -> accounts.charge(account.id(), settings.money("4.00"),
                io.planbilling.account.LedgerKind.PURCHASE, "TEST", account.id(), "too much")))
            .isInstanceOf(ProblemException.class)
            .hasFieldOrPropertyWithValue("code", ErrorCode.INSUFFICIENT_BALANCE);
        assertThat(api.balance(account)).isEqualTo("1.00");
    }

    @Test
    void runsForRealWithoutThePreviewFlag() {
        TestAccount account = api.createAccount("no preview", "10.00");

        previews.run(false, () -> accounts.charge(account.id(), settings.money("4.00"),
                io.planbilling.account.LedgerKind.PURCHASE, "TEST", account.id(), "real"));

        assertThat(api.balance(account)).isEqualTo("6.00");
    }

}
