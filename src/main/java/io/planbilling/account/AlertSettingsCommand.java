package io.planbilling.account;

import io.planbilling.shared.FieldViolation;
import io.planbilling.shared.Money;
import io.planbilling.shared.ProblemException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The settings an account replaces its alert settings with (docs/alerts.md), valid by
 * construction: {@link #of} checks every member of the request at once and refuses it
 * with one 400 {@code VALIDATION_FAILED} naming each bad member
 * ({@code trafficUsageThresholds[2]}, {@code lowBalanceThreshold.currency} …), in the
 * API's words. Lists come out in a fixed order (thresholds ascending, days descending),
 * so a saved setting reads back the same however it was written.
 */
record AlertSettingsCommand(List<Integer> trafficUsageThresholds, List<Integer> expiryReminderDays,
        @Nullable Money lowBalanceThreshold, @Nullable Money postpaidMonthlyThreshold) {

    /** Most values of either list. */
    static final int MAX_VALUES = 5;
    static final int MAX_THRESHOLD_PERCENT = 100;
    static final int MAX_REMINDER_DAYS = 30;

    AlertSettingsCommand {
        trafficUsageThresholds = List.copyOf(trafficUsageThresholds);
        expiryReminderDays = List.copyOf(expiryReminderDays);
    }

    /**
     * Validates a request's members; {@code currency} is the deployment's, the only one
     * money may be in.
     */
    static AlertSettingsCommand of(@Nullable List<@Nullable Integer> trafficUsageThresholds,
            @Nullable List<@Nullable Integer> expiryReminderDays,
            AccountAdminController.@Nullable MoneyInput lowBalanceThreshold,
            AccountAdminController.@Nullable MoneyInput postpaidMonthlyThreshold, Currency currency) {
        List<FieldViolation> errors = new ArrayList<>();
        List<Integer> thresholds = distinct("trafficUsageThresholds", trafficUsageThresholds, MAX_THRESHOLD_PERCENT,
                errors);
        List<Integer> days = distinct("expiryReminderDays", expiryReminderDays, MAX_REMINDER_DAYS, errors);
        Money low = money("lowBalanceThreshold", lowBalanceThreshold, currency, errors);
        Money postpaid = money("postpaidMonthlyThreshold", postpaidMonthlyThreshold, currency, errors);
        if (!errors.isEmpty()) {
            throw ProblemException
                .invalid(
                        errors.size() == 1
                                ? "The request is invalid: " + errors.get(0).field() + " " + errors.get(0).message()
                                        + "."
                                : "The alert settings have " + errors.size() + " invalid values; nothing was changed.",
                        errors);
        }
        return new AlertSettingsCommand(thresholds.stream().sorted().toList(),
                days.stream().sorted(Comparator.reverseOrder()).toList(), low, postpaid);
    }

    /**
     * A list of 0 to {@link #MAX_VALUES} distinct whole numbers from 1 to {@code max}.
     */
    private static List<Integer> distinct(String field, @Nullable List<@Nullable Integer> values, int max,
            List<FieldViolation> errors) {
        if (values == null) {
            errors.add(new FieldViolation(field, "must be a list (empty for none)"));
            return List.of();
        }
        if (values.size() > MAX_VALUES) {
            errors.add(new FieldViolation(field, "must hold at most " + MAX_VALUES + " values, not " + values.size()));
        }
        List<Integer> valid = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            Integer value = values.get(i);
            String at = field + "[" + i + "]";
            if (value == null) {
                errors.add(new FieldViolation(at, "must be a whole number from 1 to " + max));
            }
            else if (value < 1 || value > max) {
                errors.add(new FieldViolation(at, "must be from 1 to " + max + ", not " + value));
            }
            else if (!seen.add(value)) {
                errors.add(new FieldViolation(at, "repeats " + value + "; each value may appear once"));
            }
            else {
                valid.add(value);
            }
        }
        return valid;
    }

    /**
     * Money as the API takes it: a positive decimal string with at most two places, in
     * the deployment's currency.
     */
    private static @Nullable Money money(String field, AccountAdminController.@Nullable MoneyInput input,
            Currency currency, List<FieldViolation> errors) {
        if (input == null) {
            return null;
        }
        int before = errors.size();
        if (input.amount() == null) {
            errors.add(new FieldViolation(field + ".amount", "must not be null"));
        }
        else if (!input.amount().matches(AccountAdminController.MoneyInput.AMOUNT)) {
            errors.add(new FieldViolation(field + ".amount", AccountAdminController.MoneyInput.AMOUNT_RULE));
        }
        else if (Money.of(input.amount(), currency).isZero()) {
            errors.add(new FieldViolation(field + ".amount", "must be greater than 0 (null turns the alert off)"));
        }
        if (input.currency() == null) {
            errors.add(new FieldViolation(field + ".currency", "must not be null"));
        }
        else if (!input.currency().equals(currency.getCurrencyCode())) {
            errors.add(new FieldViolation(field + ".currency", "must be " + currency.getCurrencyCode()));
        }
        return errors.size() == before ? Money.of(input.amount(), currency) : null;
    }
}
