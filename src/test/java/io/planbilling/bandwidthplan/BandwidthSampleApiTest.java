package io.planbilling.bandwidthplan;

import static io.planbilling.bandwidthplan.BandwidthFixtures.payAsYouGo;
import static io.planbilling.bandwidthplan.BandwidthFixtures.sample;
import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@ApiTest
class BandwidthSampleApiTest {

    @Autowired
    TestApi api;

    @Autowired
    JdbcClient jdbc;

    BandwidthFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new BandwidthFixtures(api);
    }

    private long inbound(UUID network, Instant minute) {
        return jdbc.sql("SELECT inbound_bytes FROM bandwidth_samples WHERE office_network_id = :n AND minute = :m")
            .param("n", network)
            .param("m", java.sql.Timestamp.from(minute))
            .query(Long.class)
            .single();
    }

    private long samples(UUID network) {
        return jdbc.sql("SELECT count(*) FROM bandwidth_samples WHERE office_network_id = :n")
            .param("n", network)
            .query(Long.class)
            .single();
    }

    @Test
    void storesSamplesAndARepeatedMinuteReplacesTheSample() {
        TestAccount account = api.createAccount("samples");
        UUID network = fixtures.network(account);
        Instant minute = fixtures.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(5));

        Response first = fixtures.samples(List.of(sample(network, minute, 100, 10),
                sample(network, minute.plus(Duration.ofMinutes(1)), 200, 20)));
        Response repeat = fixtures.samples(List.of(sample(network, minute, 300, 30)));

        assertThat(first.status()).as("%s", first).isEqualTo(200);
        assertThat(first.body().get("accepted").asInt()).isEqualTo(2);
        assertThat(first.body().get("inserted").asInt()).isEqualTo(2);
        assertThat(repeat.body().get("inserted").asInt()).isZero();
        assertThat(repeat.body().get("replaced").asInt()).isEqualTo(1);
        assertThat(inbound(network, minute)).isEqualTo(300);
        assertThat(samples(network)).isEqualTo(2);
    }

    @Test
    void aBatchWithBadRecordsStoresNothingAndListsEveryOneByIndex() {
        TestAccount account = api.createAccount("bad samples");
        UUID network = fixtures.network(account);
        Instant minute = fixtures.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
        Map<String, Object> missingMinute = new HashMap<>(sample(network, minute, 1, 1));
        missingMinute.remove("minute");

        Response refused = fixtures.samples(List.of(sample(network, minute, 1, 1),
                sample(network, minute.plusSeconds(30), 1, 1),
                sample(network, minute.plus(Duration.ofMinutes(1)), -1, 1), missingMinute,
                sample(network, minute, 2, 2),
                sample(network, fixtures.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MINUTES), 1, 1)));

        assertProblem(refused, 400, "VALIDATION_FAILED");
        List<String> fields = new ArrayList<>();
        refused.body().get("errors").forEach(error -> fields.add(error.get("field").asString()));
        assertThat(fields).containsExactly("samples[1].minute", "samples[2].inboundBytes", "samples[3].minute",
                "samples[4]", "samples[5].minute");
        assertThat(samples(network)).isZero();
    }

    @Test
    void unknownNetworksRefuseTheWholeBatch() {
        TestAccount account = api.createAccount("unknown network samples");
        UUID network = fixtures.network(account);
        Instant minute = fixtures.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(3));

        Response refused = fixtures
            .samples(List.of(sample(network, minute, 1, 1), sample(UUID.randomUUID(), minute, 1, 1)));

        assertProblem(refused, 400, "VALIDATION_FAILED");
        assertThat(refused.text("/errors/0/field")).isEqualTo("samples[1].officeNetworkId");
        assertThat(refused.text("/errors/0/message")).startsWith("unknown office network ");
        assertThat(samples(network)).isZero();
    }

    @Test
    void batchesHoldOneToTenThousandSamplesAndOnlyTheOperatorPostsThem() {
        TestAccount account = api.createAccount("big batch");
        UUID network = fixtures.network(account);
        Instant last = fixtures.now().truncatedTo(ChronoUnit.MINUTES);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            batch.add(sample(network, last.minus(Duration.ofMinutes(i)), i, i));
        }

        Response stored = fixtures.samples(batch);

        assertThat(stored.status()).as("%s", stored.status()).isEqualTo(200);
        assertThat(stored.body().get("inserted").asInt()).isEqualTo(10_000);
        assertThat(samples(network)).isEqualTo(10_000);
        List<Map<String, Object>> tooMany = new ArrayList<>(batch);
        tooMany.add(sample(network, last.minus(Duration.ofMinutes(10_000)), 1, 1));
        assertProblem(fixtures.samples(tooMany), 400, "VALIDATION_FAILED");
        assertProblem(fixtures.samples(List.of()), 400, "VALIDATION_FAILED");
        assertProblem(api.post("/api/v1/bandwidth-samples", account.apiKey(),
                Map.of("samples", List.of(sample(network, last, 1, 1)))), 403, "FORBIDDEN");
    }

    @Test
    void monitoringShowsAverageAndPeakPerBucketOfTheAssociatedMinutes() {
        TestAccount account = api.createAccount("monitoring", "0");
        UUID network = fixtures.network(account);
        UUID plan = fixtures.buy(account, payAsYouGo("PAY_BY_BANDWIDTH", 20));
        fixtures.associateInUse(account, plan, network);
        Instant associated = jdbc.sql("SELECT associated_from FROM bandwidth_plan_associations WHERE plan_id = :plan")
            .param("plan", plan)
            .query(java.sql.Timestamp.class)
            .single()
            .toInstant();
        Instant minute = associated.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        fixtures.advance(Duration.ofMinutes(10));
        // 75,000,000 bytes in a minute are 10 Mbps; 7,500,000 are 1 Mbps
        fixtures.samples(List.of(sample(network, minute.minus(Duration.ofMinutes(3)), 750_000_000, 0),
                sample(network, minute, 75_000_000, 7_500_000),
                sample(network, minute.plus(Duration.ofMinutes(1)), 37_500_000, 7_500_000),
                sample(network, minute.plus(Duration.ofMinutes(2)), 75_000_000, 15_000_000)));

        Response hour = api.get("/api/v1/bandwidth-plans/" + plan + "/monitoring?period=1h", account.apiKey());

        assertThat(hour.status()).as("%s", hour).isEqualTo(200);
        assertThat(hour.text("/bucket")).isEqualTo("PT1M");
        assertThat(hour.body().get("points").size()).isEqualTo(60);
        JsonNode point = point(hour, minute);
        assertThat(point.get("inboundAverageMbps").decimalValue()).isEqualByComparingTo("10.000");
        assertThat(point.get("inboundPeakMbps").decimalValue()).isEqualByComparingTo("10.000");
        assertThat(point.get("outboundAverageMbps").decimalValue()).isEqualByComparingTo("1.000");
        assertThat(point(hour, minute.plus(Duration.ofMinutes(1))).get("inboundAverageMbps").decimalValue())
            .isEqualByComparingTo("5.000");
        assertThat(point(hour, minute.minus(Duration.ofMinutes(3))).get("inboundPeakMbps").decimalValue())
            .isEqualByComparingTo("0");
        assertBuckets(plan, account, "6h", "PT5M", 72, "5.000");
        assertBuckets(plan, account, "24h", "PT15M", 96, "1.667");
        assertBuckets(plan, account, "7d", "PT1H", 168, "0.417");
        assertBuckets(plan, account, "30d", "PT4H", 180, "0.104");
        assertProblem(api.get("/api/v1/bandwidth-plans/" + plan + "/monitoring?period=2h", account.apiKey()), 400,
                "VALIDATION_FAILED");
        TestAccount other = api.createAccount("monitoring other");
        assertProblem(api.get("/api/v1/bandwidth-plans/" + plan + "/monitoring?period=1h", other.apiKey()), 404,
                "NOT_FOUND");
    }

    /**
     * Buckets of {@code period}: their number and width, the total of their inbound
     * averages, the peak of peaks.
     */
    private void assertBuckets(UUID plan, TestAccount account, String period, String bucket, int count,
            String inboundAverageTotal) {
        Response monitoring = api.get("/api/v1/bandwidth-plans/" + plan + "/monitoring?period=" + period,
                account.apiKey());
        assertThat(monitoring.text("/bucket")).isEqualTo(bucket);
        assertThat(monitoring.body().get("points").size()).isEqualTo(count);
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal peak = BigDecimal.ZERO;
        for (JsonNode point : monitoring.body().get("points")) {
            total = total.add(point.get("inboundAverageMbps").decimalValue());
            peak = peak.max(point.get("inboundPeakMbps").decimalValue());
        }
        // a bucket's average spreads the minutes' bytes over its width; the three minutes
        // may fall in two buckets,
        // whose rounded averages add up to the total within a thousandth
        assertThat(total.subtract(new BigDecimal(inboundAverageTotal)).abs())
            .isLessThanOrEqualTo(new BigDecimal("0.001"));
        assertThat(peak).isEqualByComparingTo("10.000");
    }

    private static JsonNode point(Response monitoring, Instant at) {
        for (JsonNode point : monitoring.body().get("points")) {
            if (Instant.parse(point.get("at").asString()).equals(at)) {
                return point;
            }
        }
        throw new AssertionError("no point at " + at + " in " + monitoring);
    }

}
