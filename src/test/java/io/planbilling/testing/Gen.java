package io.planbilling.testing;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A value generator driven by one seeded {@link Random}: the same seed gives the same
 * values in the same order, so a failing case of a randomised test is reproduced by its
 * seed and case number. Deliberately small — the fuzz test needs weighted choices,
 * strings from character ranges and numbers, not shrinking (a try is a stateful HTTP
 * exchange against a shared database, not a pure function).
 *
 * @param <T> the type of the values
 */
@FunctionalInterface
public interface Gen<T> {

    /** The next value, drawn from {@code random}. */
    T next(Random random);

    default <R> Gen<R> map(Function<? super T, ? extends R> mapper) {
        return random -> mapper.apply(next(random));
    }

    /** Values of this generator that pass {@code filter} (redrawn until one does). */
    default Gen<T> filter(Predicate<? super T> filter) {
        return random -> {
            for (int tries = 0; tries < 10_000; tries++) {
                T value = next(random);
                if (filter.test(value)) {
                    return value;
                }
            }
            throw new IllegalStateException("the filter refused 10 000 values in a row");
        };
    }

    /** One of {@code values}, each equally likely. */
    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        List<T> choices = List.of(values);
        return random -> choices.get(random.nextInt(choices.size()));
    }

    /** One generator per draw, chosen with probability proportional to its weight. */
    static <T> Gen<T> frequency(List<Weighted<T>> choices) {
        int total = choices.stream().mapToInt(Weighted::weight).sum();
        return random -> {
            int dice = random.nextInt(total);
            for (Weighted<T> choice : choices) {
                dice -= choice.weight();
                if (dice < 0) {
                    return choice.gen().next(random);
                }
            }
            throw new IllegalStateException("weights changed while drawing");
        };
    }

    static <T> Weighted<T> weighted(int weight, Gen<T> gen) {
        return new Weighted<>(weight, gen);
    }

    /** Integers in {@code [min, max]}. */
    static Gen<Integer> integers(int min, int max) {
        return random -> min + random.nextInt(max - min + 1);
    }

    /**
     * Any {@code long}, edge values ({@code 0}, {@code ±1}, the extremes) more often than
     * uniform drawing would.
     */
    static Gen<Long> longs() {
        return random -> switch (random.nextInt(10)) {
            case 0 -> Long.MIN_VALUE;
            case 1 -> Long.MAX_VALUE;
            case 2 -> (long) random.nextInt(3) - 1;
            default -> random.nextLong();
        };
    }

    /** Any finite or infinite {@code double}, NaN included (drawn from its bits). */
    static Gen<Double> doubles() {
        return random -> Double.longBitsToDouble(random.nextLong());
    }

    /**
     * Decimals with exactly {@code scale} fraction digits and up to 30 integer digits,
     * either sign.
     */
    static Gen<BigDecimal> bigDecimals(int scale) {
        return random -> {
            BigInteger unscaled = new BigInteger(100 + scale * 4, random);
            return new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), scale);
        };
    }

    /**
     * Strings of {@code minLength} to {@code maxLength} characters from
     * {@code [from, to]}.
     */
    static Gen<String> strings(char from, char to, int minLength, int maxLength) {
        return random -> {
            int length = minLength + random.nextInt(maxLength - minLength + 1);
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append((char) (from + random.nextInt(to - from + 1)));
            }
            return text.toString();
        };
    }

    /**
     * Strings of up to {@code maxLength} UTF-16 units of any value, lone surrogates and
     * controls included.
     */
    static Gen<String> anyStrings(int maxLength) {
        return strings(Character.MIN_VALUE, Character.MAX_VALUE, 0, maxLength);
    }

    /** Strings of ASCII letters and digits. */
    static Gen<String> alphanumeric(int minLength, int maxLength) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return random -> {
            int length = minLength + random.nextInt(maxLength - minLength + 1);
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return text.toString();
        };
    }

    /** Instants in {@code [from, to)} with microsecond precision. */
    static Gen<Instant> instants(Instant from, Instant to) {
        long fromMicros = from.getEpochSecond() * 1_000_000 + from.getNano() / 1_000;
        long span = to.getEpochSecond() * 1_000_000 + to.getNano() / 1_000 - fromMicros;
        return random -> {
            long micros = fromMicros + Math.floorMod(random.nextLong(), span);
            return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
        };
    }

    /** A generator with its weight in a {@link #frequency} choice. */
    record Weighted<T>(int weight, Gen<T> gen) {
    }

}
