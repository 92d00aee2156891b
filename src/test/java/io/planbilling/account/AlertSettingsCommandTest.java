package io.planbilling.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.FieldViolation;
import io.planbilling.shared.Money;
import io.planbilling.shared.ProblemException;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The validation of alert settings, without Spring or a database (docs/alerts.md). */
class AlertSettingsCommandTest {

    private static final Currency CNY = Currency.getInstance("CNY");

    private static AccountAdminController.MoneyInput money(String amount, String currency) {
        return new AccountAdminController.MoneyInput(amount, currency);
    }

    private static List<FieldViolation> refused(List<Integer> thresholds, List<Integer> days,
            AccountAdminController.MoneyInput low, AccountAdminController.MoneyInput postpaid) {
        ProblemException refused = catchThrowableOfType(ProblemException.class,
                () -> AlertSettingsCommand.of(thresholds, days, low, postpaid, CNY));
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        return refused.violations();
    }

    @Test
    void validSettingsComeOutInAFixedOrder() {
        AlertSettingsCommand command = AlertSettingsCommand.of(List.of(100, 50, 80), List.of(1, 7, 3),
                money("50.00", "CNY"), null, CNY);

        assertThat(command.trafficUsageThresholds()).containsExactly(50, 80, 100);
        assertThat(command.expiryReminderDays()).containsExactly(7, 3, 1);
        assertThat(command.lowBalanceThreshold()).isEqualTo(Money.of("50.00", CNY));
        assertThat(command.postpaidMonthlyThreshold()).isNull();
    }

    @Test
    void emptyListsTurnTheirAlertsOff() {
        AlertSettingsCommand command = AlertSettingsCommand.of(List.of(), List.of(), null, null, CNY);

        assertThat(command.trafficUsageThresholds()).isEmpty();
        assertThat(command.expiryReminderDays()).isEmpty();
    }

    @Test
    void everyBadMemberIsNamedInOneRefusal() {
        List<FieldViolation> errors = refused(Arrays.asList(80, 0, 80, null, 101), List.of(7, 31, 3, 2, 1, 5),
                money("12.345", "USD"), money("0.00", "CNY"));

        assertThat(errors).extracting(FieldViolation::field)
            .containsExactly("trafficUsageThresholds[1]", "trafficUsageThresholds[2]", "trafficUsageThresholds[3]",
                    "trafficUsageThresholds[4]", "expiryReminderDays", "expiryReminderDays[1]",
                    "lowBalanceThreshold.amount", "lowBalanceThreshold.currency", "postpaidMonthlyThreshold.amount");
        assertThat(errors).extracting(FieldViolation::message)
            .containsExactly("must be from 1 to 100, not 0", "repeats 80; each value may appear once",
                    "must be a whole number from 1 to 100", "must be from 1 to 100, not 101",
                    "must hold at most 5 values, not 6", "must be from 1 to 30, not 31",
                    AccountAdminController.MoneyInput.AMOUNT_RULE, "must be CNY",
                    "must be greater than 0 (null turns the alert off)");
    }

    @Test
    void listsAreRequiredAndMoneyNeedsBothMembers() {
        List<FieldViolation> errors = refused(null, null, money(null, null), null);

        assertThat(errors).extracting(FieldViolation::field)
            .containsExactly("trafficUsageThresholds", "expiryReminderDays", "lowBalanceThreshold.amount",
                    "lowBalanceThreshold.currency");
    }

}
