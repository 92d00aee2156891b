package io.planbilling.shared;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An exact amount of money in one currency, always held at the currency's two minor-unit
 * places.
 *
 * <p>
 * Every computation that can produce fractions of a cent (proration, unit prices times
 * quantities) goes through {@link #ratio(BigDecimal, BigDecimal, Currency, Rounding)},
 * the one place where rounding happens: charges round half-even, refunds round down
 * (docs/accounts-and-money.md).
 */
public record Money(
        @Schema(implementation = String.class,
                example = "12.34") @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount,
        @Schema(implementation = String.class, example = "CNY", pattern = "[A-Z]{3}", maxLength = 3) Currency currency)
        implements
            Comparable<Money> {

    /** Minor-unit places of every amount this service handles. */
    public static final int SCALE = 2;

    /** How an exact value is brought to the minor unit. */
    public enum Rounding {

        /** Charges and prices: half-even (banker's rounding). */
        CHARGE(RoundingMode.HALF_EVEN),
        /** Refunds: always down, so a refund never exceeds the exact share. */
        REFUND(RoundingMode.DOWN);

        private final RoundingMode mode;

        Rounding(RoundingMode mode) {
            this.mode = mode;
        }

    }

    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        if (amount.scale() > SCALE && amount.stripTrailingZeros().scale() > SCALE) {
            throw new IllegalArgumentException("Money has at most " + SCALE + " decimal places: " + amount);
        }
        amount = amount.setScale(SCALE, RoundingMode.UNNECESSARY);
    }

    /**
     * An amount that is already exact to the minor unit; more places are a programming
     * error.
     */
    public static Money of(BigDecimal amount, Currency currency) {
        return new Money(amount, currency);
    }

    /** Parses a decimal string such as {@code "12.34"}. */
    public static Money of(String amount, Currency currency) {
        return new Money(new BigDecimal(amount), currency);
    }

    /** Rounds an exact value to the minor unit. */
    public static Money of(BigDecimal exact, Currency currency, Rounding rounding) {
        return ratio(exact, BigDecimal.ONE, currency, rounding);
    }

    public static Money zero(Currency currency) {
        return new Money(BigDecimal.ZERO, currency);
    }

    public Money plus(Money other) {
        return new Money(amount.add(sameCurrency(other).amount), currency);
    }

    public Money minus(Money other) {
        return new Money(amount.subtract(sameCurrency(other).amount), currency);
    }

    public Money negate() {
        return new Money(amount.negate(), currency);
    }

    /**
     * This amount times {@code numerator / denominator}, computed exactly and rounded
     * once.
     */
    public Money times(BigDecimal numerator, BigDecimal denominator, Rounding rounding) {
        return ratio(amount.multiply(numerator), denominator, currency, rounding);
    }

    /**
     * {@code dividend / divisor} rounded to the minor unit.
     * {@link BigDecimal#divide(BigDecimal, int, RoundingMode)} rounds the exact
     * mathematical quotient, so there is no intermediate rounding.
     */
    public static Money ratio(BigDecimal dividend, BigDecimal divisor, Currency currency, Rounding rounding) {
        if (divisor.signum() == 0) {
            throw new IllegalArgumentException("divisor is zero");
        }
        return new Money(dividend.divide(divisor, SCALE, rounding.mode), currency);
    }

    /** This amount times a unit count (a quantity, a number of months), exact. */
    public Money times(long factor) {
        return new Money(amount.multiply(BigDecimal.valueOf(factor)), currency);
    }

    @JsonIgnore
    public boolean isNegative() {
        return amount.signum() < 0;
    }

    @JsonIgnore
    public boolean isPositive() {
        return amount.signum() > 0;
    }

    @JsonIgnore
    public boolean isZero() {
        return amount.signum() == 0;
    }

    @Override
    public int compareTo(Money other) {
        return amount.compareTo(sameCurrency(other).amount);
    }

    private Money sameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("Currency mismatch: " + currency + " vs " + other.currency);
        }
        return other;
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency.getCurrencyCode();
    }
}
