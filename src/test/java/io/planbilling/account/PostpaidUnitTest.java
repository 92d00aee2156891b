package io.planbilling.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.shared.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Postpaid quantities in the bill's units, exact, and their amounts rounded once,
 * half-even.
 */
class PostpaidUnitTest {

    private static final Currency CNY = Currency.getInstance("CNY");

    private static final BigDecimal GB = BigDecimal.valueOf(1L << 30);

    @Test
    void bytesAreExactGigabytesWithoutTrailingZeros() {
        assertThat(PostpaidUnit.GB.quantity(GB.multiply(BigDecimal.valueOf(5))).toPlainString()).isEqualTo("5");
        assertThat(PostpaidUnit.GB.quantity(GB.divide(BigDecimal.valueOf(2))).toPlainString()).isEqualTo("0.5");
        assertThat(PostpaidUnit.GB.quantity(BigDecimal.ONE).toPlainString())
            .isEqualTo("0.000000000931322574615478515625");
        assertThat(PostpaidUnit.GB.quantity(BigDecimal.ONE).multiply(GB)).isEqualByComparingTo(BigDecimal.ONE);
        assertThat(PostpaidUnit.MBPS_HOUR.quantity(BigDecimal.valueOf(240)).toPlainString()).isEqualTo("240");
    }

    @Test
    void theAmountIsRoundedOnceHalfEven() {
        Money perGb = Money.of("1.25", CNY);
        // 0.5 GB × 1.25 = 0.625 → 0.62 (half-even; half-up would say 0.63)
        assertThat(PostpaidUnit.GB.amount(GB.divide(BigDecimal.valueOf(2)), perGb)).isEqualTo(Money.of("0.62", CNY));
        // 1.5 GB × 1.25 = 1.875 → 1.88
        assertThat(PostpaidUnit.GB.amount(GB.multiply(BigDecimal.valueOf(3)).divide(BigDecimal.valueOf(2)), perGb))
            .isEqualTo(Money.of("1.88", CNY));
        // one byte at 1.20 per GB is far below a cent
        assertThat(PostpaidUnit.GB.amount(BigDecimal.ONE, Money.of("1.20", CNY))).isEqualTo(Money.of("0.00", CNY));
        assertThat(PostpaidUnit.MBPS_HOUR.amount(BigDecimal.valueOf(10), Money.of("0.05", CNY)))
            .isEqualTo(Money.of("0.50", CNY));
    }

    @Test
    void anAccruedChargeStatesItsQuantityInTheBillsUnitAndItsRoundedAmount() {
        UUID device = UUID.randomUUID();
        AccruedCharge charge = AccruedCharge.of("PAYG_TRAFFIC", "TRAFFIC_DEVICE", device, PostpaidUnit.GB,
                GB.multiply(BigDecimal.valueOf(5)), Money.of("1.20", CNY), null, List.of("r2", "r1"));

        assertThat(charge.quantity()).isEqualByComparingTo("5");
        assertThat(charge.unit()).isEqualTo(PostpaidUnit.GB);
        assertThat(charge.amount()).isEqualTo(Money.of("6.00", CNY));
        assertThat(charge.recordIds()).containsExactly("r2", "r1");
        AccruedCharge hour = AccruedCharge.of("BANDWIDTH_HOURS", "BANDWIDTH_PLAN", device, PostpaidUnit.MBPS_HOUR,
                BigDecimal.valueOf(20), Money.of("0.05", CNY), Instant.EPOCH, null);
        assertThat(hour.amount()).isEqualTo(Money.of("1.00", CNY));
        assertThat(hour.hourStart()).isEqualTo(Instant.EPOCH);
    }

}
