package io.planbilling.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planbilling.shared.Money.Rounding;
import java.math.BigDecimal;
import java.util.Currency;
import org.junit.jupiter.api.Test;

class MoneyTest {

    private static final Currency CNY = Currency.getInstance("CNY");

    private static Money cny(String amount) {
        return Money.of(amount, CNY);
    }

    @Test
    void alwaysHoldsTwoDecimalPlaces() {
        assertThat(cny("12").amount()).isEqualTo(new BigDecimal("12.00"));
        assertThat(cny("12.5").amount().toPlainString()).isEqualTo("12.50");
        assertThat(cny("12.340").amount().toPlainString()).isEqualTo("12.34");
    }

    @Test
    void refusesFractionsOfTheMinorUnit() {
        assertThatThrownBy(() -> cny("12.345")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addsAndSubtractsExactly() {
        assertThat(cny("0.10").plus(cny("0.20"))).isEqualTo(cny("0.30"));
        assertThat(cny("100.00").minus(cny("30.01"))).isEqualTo(cny("69.99"));
        assertThat(cny("5.00").negate()).isEqualTo(cny("-5.00"));
    }

    @Test
    void refusesToMixCurrencies() {
        Money usd = Money.of("1.00", Currency.getInstance("USD"));

        assertThatThrownBy(() -> cny("1.00").plus(usd)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chargesRoundHalfEvenOnce() {
        // 10.00 × 1/8 = 1.25 exactly: no rounding at all
        assertThat(cny("10.00").times(BigDecimal.ONE, new BigDecimal(8), Rounding.CHARGE)).isEqualTo(cny("1.25"));
        // 0.05 × 1/2 = 0.025 → half-even keeps the even 0.02; 0.15 × 1/2 = 0.075 → 0.08
        assertThat(cny("0.05").times(BigDecimal.ONE, new BigDecimal(2), Rounding.CHARGE)).isEqualTo(cny("0.02"));
        assertThat(cny("0.15").times(BigDecimal.ONE, new BigDecimal(2), Rounding.CHARGE)).isEqualTo(cny("0.08"));
        // 100.00 × 2/3 = 66.666… → 66.67
        assertThat(cny("100.00").times(new BigDecimal(2), new BigDecimal(3), Rounding.CHARGE)).isEqualTo(cny("66.67"));
    }

    @Test
    void refundsRoundDown() {
        assertThat(cny("100.00").times(new BigDecimal(2), new BigDecimal(3), Rounding.REFUND)).isEqualTo(cny("66.66"));
        assertThat(cny("0.15").times(BigDecimal.ONE, new BigDecimal(2), Rounding.REFUND)).isEqualTo(cny("0.07"));
    }

    @Test
    void roundsTheExactQuotientNotAnIntermediate() {
        // 30.00 × 1 / 2592000 seconds × 1296001 seconds left: 15.0000115… → 15.00 (a
        // pre-rounded ratio would drift)
        Money prorated = cny("30.00").times(new BigDecimal(1_296_001), new BigDecimal(2_592_000), Rounding.CHARGE);

        assertThat(prorated).isEqualTo(cny("15.00"));
    }

    @Test
    void multipliesByWholeUnits() {
        assertThat(cny("25.00").times(6)).isEqualTo(cny("150.00"));
    }

    @Test
    void comparesByAmount() {
        assertThat(cny("1.00")).isLessThan(cny("1.01"));
        assertThat(cny("0").isZero()).isTrue();
        assertThat(cny("-0.01").isNegative()).isTrue();
        assertThat(cny("0.01").isPositive()).isTrue();
    }

    @Test
    void printsAsPlainDecimal() {
        assertThat(cny("1000000").toString()).isEqualTo("1000000.00 CNY");
    }

}
