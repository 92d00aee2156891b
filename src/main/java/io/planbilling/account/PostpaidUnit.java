package io.planbilling.account;

import io.planbilling.shared.Money;
import java.math.BigDecimal;

/**
 * The units postpaid usage is billed in, and the one computation of a postpaid amount: a
 * metered quantity in its raw unit (bytes, Mbps-hours) is converted to the bill's unit
 * exactly, and {@code quantity × unit price} is rounded once, half-even, by
 * {@link Money}. The monthly bill and the {@code charge.accrued} events both go through
 * here (docs/events.md); the bill, which rounds each monthly line once, is what is owed.
 */
public enum PostpaidUnit {

    /** A GB of 1024³ bytes; quantities are metered in bytes. */
    GB(BigDecimal.valueOf(1L << 30)),
    /** One Mbps of peak for one hour; quantities are metered in Mbps-hours. */
    MBPS_HOUR(BigDecimal.ONE);

    private final BigDecimal rawPerUnit;

    PostpaidUnit(BigDecimal rawPerUnit) {
        this.rawPerUnit = rawPerUnit;
    }

    /**
     * The exact quantity in this unit of {@code raw} metered units, without trailing
     * zeros ({@code 5}, {@code 0.5}). A number of bytes divided by 2³⁰ always terminates.
     */
    public BigDecimal quantity(BigDecimal raw) {
        BigDecimal quantity = raw.divide(rawPerUnit).stripTrailingZeros();
        return quantity.scale() < 0 ? quantity.setScale(0) : quantity;
    }

    /**
     * {@code raw} metered units at {@code unitPrice} per unit of this unit, exactly and
     * not rounded (a running total adds these up and rounds its sum once, through
     * {@link Money}). Bytes × price ÷ 2³⁰ always terminates.
     */
    public BigDecimal exactAmount(BigDecimal raw, Money unitPrice) {
        return raw.multiply(unitPrice.amount()).divide(rawPerUnit);
    }

    /**
     * {@code raw} metered units at {@code unitPrice} per unit of this unit: computed
     * exactly, rounded once.
     */
    public Money amount(BigDecimal raw, Money unitPrice) {
        return Money.ratio(raw.multiply(unitPrice.amount()), rawPerUnit, unitPrice.currency(), Money.Rounding.CHARGE);
    }

}
