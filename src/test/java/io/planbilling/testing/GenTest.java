package io.planbilling.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GenTest {

    private static final Gen<String> MIXED = Gen.frequency(List.of(Gen.weighted(3, Gen.of("a", "b")),
            Gen.weighted(1, Gen.alphanumeric(2, 5)), Gen.weighted(1, Gen.longs().map(Object::toString))));

    @Test
    void theSameSeedDrawsTheSameValuesInTheSameOrder() {
        List<String> first = draw(MIXED, new Random(42), 200);
        List<String> second = draw(MIXED, new Random(42), 200);
        List<String> other = draw(MIXED, new Random(43), 200);

        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void frequencyDrawsEachChoiceInProportionToItsWeight() {
        List<String> values = draw(
                Gen.frequency(List.of(Gen.weighted(9, Gen.of("often")), Gen.weighted(1, Gen.of("rarely")))),
                new Random(7), 10_000);

        long rarely = values.stream().filter("rarely"::equals).count();

        assertThat(rarely).isBetween(800L, 1200L);
    }

    @Test
    void stringsStayInsideTheirCharacterRangeAndLength() {
        List<String> values = draw(Gen.strings('\u4e00', '\u9fff', 1, 8), new Random(1), 500);

        assertThat(values).allSatisfy(value -> {
            assertThat(value.length()).isBetween(1, 8);
            assertThat(value.chars()).allMatch(c -> c >= 0x4e00 && c <= 0x9fff);
        });
    }

    @Test
    void instantsStayInsideTheirBoundsAndDecimalsKeepTheirScale() {
        Instant from = Instant.parse("1900-01-01T00:00:00Z");
        Instant to = Instant.parse("2200-01-01T00:00:00Z");

        List<Instant> instants = draw(Gen.instants(from, to), new Random(3), 1_000);
        List<BigDecimal> decimals = draw(Gen.bigDecimals(25), new Random(3), 100);

        assertThat(instants).allSatisfy(instant -> assertThat(instant).isBetween(from, to));
        assertThat(decimals).allSatisfy(decimal -> assertThat(decimal.scale()).isEqualTo(25));
    }

    @Test
    void filterRedrawsUntilAValuePasses() {
        List<Integer> even = draw(Gen.integers(0, 100).filter(n -> n % 2 == 0), new Random(5), 300);

        assertThat(even).allMatch(n -> n % 2 == 0);
    }

    private static <T> List<T> draw(Gen<T> gen, Random random, int count) {
        return IntStream.range(0, count).mapToObj(i -> gen.next(random)).toList();
    }

}
