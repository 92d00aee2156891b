package io.planbilling.bandwidthplan;

import io.planbilling.shared.Money;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;

/**
 * What the unused part of a subscription's paid terms is worth: for each term, its list
 * price per Mbps × Mbps × the share of the term (in seconds) that lies after {@code now}.
 * The shares are summed as one exact fraction and rounded once ({@link Money#ratio}), so
 * no cent is lost or made up in between.
 */
final class Proration {

    /** A paid term of a subscription and its list price for 1 Mbps. */
    record Term(Instant startsAt, Instant endsAt, BigDecimal pricePerMbps) {
    }

    /** A subscription's paid term and what it costs. */
    record PaidTerm(Term term, Money price) {
    }

    /**
     * What a peak change costs or gives back (one of the two is zero, both are when
     * nothing is prorated), and the peak before it.
     */
    record PeakChange(int previousMbps, Money charge, Money refund) {

        static PeakChange none(int previousMbps, Currency currency) {
            return new PeakChange(previousMbps, Money.zero(currency), Money.zero(currency));
        }

    }

    private Proration() {
    }

    /**
     * The value of {@code mbps} over what is left of {@code terms} after {@code now},
     * rounded once.
     * @param mbps Mbps the value is computed for, zero or positive
     */
    /**
     * A peak change from {@code from} to {@code to} Mbps at {@code now}: an increase pays
     * the difference over what is left of {@code terms} (rounded half-even), a decrease
     * gets it back (rounded down).
     */
    static PeakChange peakChange(List<Term> terms, int from, int to, Instant now, Currency currency) {
        Money zero = Money.zero(currency);
        if (to > from) {
            return new PeakChange(from, unusedValue(terms, to - from, now, currency, Money.Rounding.CHARGE), zero);
        }
        return new PeakChange(from, zero, unusedValue(terms, from - to, now, currency, Money.Rounding.REFUND));
    }

    static Money unusedValue(List<Term> terms, long mbps, Instant now, Currency currency, Money.Rounding rounding) {
        BigDecimal numerator = BigDecimal.ZERO;
        BigDecimal denominator = BigDecimal.ONE;
        for (Term term : terms) {
            long length = Duration.between(term.startsAt(), term.endsAt()).toSeconds();
            Instant from = now.isAfter(term.startsAt()) ? now : term.startsAt();
            long left = Math.max(0, Duration.between(from, term.endsAt()).toSeconds());
            if (left == 0 || length <= 0) {
                continue;
            }
            // numerator/denominator + price × mbps × left/length, kept as one exact
            // fraction
            BigDecimal termLength = BigDecimal.valueOf(length);
            BigDecimal share = term.pricePerMbps()
                .multiply(BigDecimal.valueOf(mbps))
                .multiply(BigDecimal.valueOf(left));
            numerator = numerator.multiply(termLength).add(share.multiply(denominator));
            denominator = denominator.multiply(termLength);
        }
        return Money.ratio(numerator, denominator, currency, rounding);
    }

}
