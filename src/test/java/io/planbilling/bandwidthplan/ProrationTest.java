package io.planbilling.bandwidthplan;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.shared.Money;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProrationTest {

    private static final Currency CNY = Currency.getInstance("CNY");

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    private static Proration.Term term(Instant start, Duration length, String pricePerMbps) {
        return new Proration.Term(start, start.plus(length), new BigDecimal(pricePerMbps));
    }

    @Test
    void theUnusedShareIsExactAndRoundedOnce() {
        // a third of a 30-day term left: 25.00 × 1 Mbps × 1/3 = 8.3333…
        List<Proration.Term> terms = List.of(term(START, Duration.ofDays(30), "25.00"));
        Instant now = START.plus(Duration.ofDays(20));

        assertThat(Proration.unusedValue(terms, 1, now, CNY, Money.Rounding.CHARGE)).isEqualTo(Money.of("8.33", CNY));
        assertThat(Proration.unusedValue(terms, 2, now, CNY, Money.Rounding.CHARGE)).isEqualTo(Money.of("16.67", CNY));
        assertThat(Proration.unusedValue(terms, 2, now, CNY, Money.Rounding.REFUND)).isEqualTo(Money.of("16.66", CNY));
    }

    @Test
    void sharesOfSeveralTermsAreSummedBeforeRounding() {
        // each term has half a cent left: rounded one by one (half-even) they would make
        // 0.00, summed they make 0.01
        List<Proration.Term> terms = List.of(term(START, Duration.ofSeconds(2), "0.01"),
                term(START.minusSeconds(2), Duration.ofSeconds(4), "0.02"));
        Instant now = START.plusSeconds(1);

        assertThat(Proration.unusedValue(terms, 1, now, CNY, Money.Rounding.CHARGE)).isEqualTo(Money.of("0.01", CNY));
        // 3 Mbps: 0.015 + 0.015 = 0.03 exactly
        assertThat(Proration.unusedValue(terms, 3, now, CNY, Money.Rounding.REFUND)).isEqualTo(Money.of("0.03", CNY));
    }

    @Test
    void pastTermsAreWorthNothingAndFutureTermsTheirFullPrice() {
        List<Proration.Term> terms = List.of(term(START, Duration.ofDays(7), "8.00"),
                term(START.plus(Duration.ofDays(7)), Duration.ofDays(365), "250.00"));

        assertThat(Proration.unusedValue(terms, 10, START.plus(Duration.ofDays(7)), CNY, Money.Rounding.REFUND))
            .isEqualTo(Money.of("2500.00", CNY));
        assertThat(Proration.unusedValue(terms, 10, START.plus(Duration.ofDays(400)), CNY, Money.Rounding.REFUND))
            .isEqualTo(Money.of("0.00", CNY));
        assertThat(Proration.unusedValue(terms, 10, START.minus(Duration.ofDays(1)), CNY, Money.Rounding.REFUND))
            .isEqualTo(Money.of("2580.00", CNY));
    }

    @Test
    void halfACentRoundsHalfEvenForChargesAndDownForRefunds() {
        // 0.05 × 1/2 = 0.025 → charge 0.02 (half-even), refund 0.02; 0.07 × 1/2 = 0.035 →
        // charge 0.04, refund 0.03
        Instant half = START.plusSeconds(50);
        assertThat(Proration.unusedValue(List.of(term(START, Duration.ofSeconds(100), "0.05")), 1, half, CNY,
                Money.Rounding.CHARGE))
            .isEqualTo(Money.of("0.02", CNY));
        assertThat(Proration.unusedValue(List.of(term(START, Duration.ofSeconds(100), "0.07")), 1, half, CNY,
                Money.Rounding.CHARGE))
            .isEqualTo(Money.of("0.04", CNY));
        assertThat(Proration.unusedValue(List.of(term(START, Duration.ofSeconds(100), "0.07")), 1, half, CNY,
                Money.Rounding.REFUND))
            .isEqualTo(Money.of("0.03", CNY));
    }

}
