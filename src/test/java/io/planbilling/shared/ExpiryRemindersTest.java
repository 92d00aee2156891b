package io.planbilling.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which expiry reminder is due, without Spring or a database (docs/alerts.md). */
class ExpiryRemindersTest {

    private static final Instant END = Instant.parse("2026-12-15T02:00:00Z");

    private static final List<Integer> DAYS = List.of(7, 3, 1);

    private static Instant daysBefore(double days) {
        return END.minus(Duration.ofMinutes(Math.round(days * 24 * 60)));
    }

    @Test
    void aReminderFallsDueItsDaysTimes24HoursBeforeTheEnd() {
        assertThat(ExpiryReminders.dueAt(END, 7)).isEqualTo(Instant.parse("2026-12-08T02:00:00Z"));
        assertThat(ExpiryReminders.due(DAYS, END, daysBefore(7).minusSeconds(1), null)).isEmpty();
        assertThat(ExpiryReminders.due(DAYS, END, daysBefore(7), null)).hasValue(7);
    }

    @Test
    void eachReminderIsDueOnceInTurn() {
        assertThat(ExpiryReminders.due(DAYS, END, daysBefore(6), null)).hasValue(7);
        assertThat(ExpiryReminders.due(DAYS, END, daysBefore(6), 7)).isEmpty();
        assertThat(ExpiryReminders.due(DAYS, END, daysBefore(3), 7)).hasValue(3);
        assertThat(ExpiryReminders.due(DAYS, END, daysBefore(2), 3)).isEmpty();
        assertThat(ExpiryReminders.due(DAYS, END, daysBefore(0.5), 3)).hasValue(1);
        assertThat(ExpiryReminders.due(DAYS, END, daysBefore(0.1), 1)).isEmpty();
    }

    @Test
    void whenSeveralFallDueAtOnceOnlyTheOneWithTheFewestDaysLeftIsDueAndTheOthersAreSkippedForGood() {
        assertThat(ExpiryReminders.due(DAYS, END, daysBefore(2), null)).hasValue(3);
        assertThat(ExpiryReminders.due(DAYS, END, daysBefore(0.5), null)).hasValue(1);
        // once the 1-day reminder went, the 7- and 3-day ones never do
        assertThat(ExpiryReminders.due(DAYS, END, daysBefore(0.5), 1)).isEmpty();
    }

    @Test
    void nothingIsDueOnceTheCycleHasEnded() {
        assertThat(ExpiryReminders.due(DAYS, END, END, null)).isEmpty();
        assertThat(ExpiryReminders.due(DAYS, END, END.plusSeconds(1), null)).isEmpty();
    }

    @Test
    void changedSettingsNeverResendAndNeverGoBack() {
        // 3 was sent; the account now asks for 10, 5 and 2: 5 has fallen due but has more
        // days left than 3
        List<Integer> changed = List.of(10, 5, 2);
        assertThat(ExpiryReminders.due(changed, END, daysBefore(2.5), 3)).isEmpty();
        assertThat(ExpiryReminders.due(changed, END, daysBefore(2), 3)).hasValue(2);
        assertThat(ExpiryReminders.due(List.of(), END, daysBefore(0.5), null)).isEmpty();
    }

    private static Money cny(String amount) {
        return Money.of(new BigDecimal(amount), Currency.getInstance("CNY"));
    }

    @Test
    void aRenewalIsAtRiskUnlessAutoRenewalIsOnAndTheBalanceCoversItNow() {
        assertThat(ExpiryReminders.renewalAtRisk(true, cny("30.00"), cny("30.00"))).isFalse();
        assertThat(ExpiryReminders.renewalAtRisk(true, cny("30.00"), cny("29.99"))).isTrue();
        assertThat(ExpiryReminders.renewalAtRisk(false, cny("30.00"), cny("1000.00"))).isTrue();
    }

    @Test
    void theExpiringEventNamesDaysLeftEndRenewalPriceAndRiskInThatOrder() {
        assertThat(ExpiryReminders.expiring(3, END, cny("70.00"), true)).containsExactly(entry("daysLeft", 3),
                entry("endsAt", END), entry("renewalPrice", cny("70.00")), entry("renewalAtRisk", true));
    }

}
