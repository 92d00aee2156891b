package io.planbilling.bandwidthplan;

import static io.planbilling.bandwidthplan.BandwidthFixtures.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.Race;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Small sample requests that arrive together share one transaction, and each keeps its
 * own validation, atomicity and answer (docs/bandwidth-plans.md, samples).
 */
@ApiTest
class CoalescedSamplesApiTest {

    @Autowired
    TestApi api;

    @Autowired
    BandwidthSamples samples;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    BandwidthFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new BandwidthFixtures(api);
    }

    long stored(UUID network) {
        return jdbc.sql("SELECT count(*) FROM bandwidth_samples WHERE office_network_id = :n")
            .param("n", network)
            .query(Long.class)
            .single();
    }

    long inbound(UUID network, Instant minute) {
        return jdbc.sql("SELECT inbound_bytes FROM bandwidth_samples WHERE office_network_id = :n AND minute = :m")
            .param("n", network)
            .param("m", Timestamp.from(minute))
            .query(Long.class)
            .single();
    }

    @Test
    void sixteenConcurrentSingleSampleRequestsWithOneBadOneStoreFifteenAndRefuseOne() {
        UUID network = fixtures.network(api.createAccount("sixteen samples"));
        Instant last = fixtures.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1));
        List<Callable<Response>> requests = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Instant minute = last.minus(Duration.ofMinutes(i));
            long inbound = i == 7 ? -1 : i;
            requests.add(() -> fixtures.samples(List.of(sample(network, minute, inbound, 1))));
        }

        List<Response> answers = Race.run(requests);

        for (int i = 0; i < 16; i++) {
            Response answer = answers.get(i);
            if (i == 7) {
                assertThat(answer.status()).as("%s", answer).isEqualTo(400);
                assertThat(answer.text("/errors/0/field")).isEqualTo("samples[0].inboundBytes");
                continue;
            }
            assertThat(answer.status()).as("%s", answer).isEqualTo(200);
            assertThat(answer.body().get("inserted").asInt()).isEqualTo(1);
        }
        assertThat(stored(network)).isEqualTo(15);
    }

    @Test
    void aGroupAnswersEachRequestAsPostingThemOneAfterTheOtherWould() {
        UUID grouped = fixtures.network(api.createAccount("grouped samples"));
        UUID sequential = fixtures.network(api.createAccount("sequential samples"));
        Instant minute = fixtures.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(5));
        Instant next = minute.plus(Duration.ofMinutes(1));

        List<SamplesResult> fromGroup = transaction.execute(status -> samples.applyGroup(List.of(
                samples.prepare(new ArrayList<>(List.of(input(grouped, minute, 100)))),
                samples.prepare(new ArrayList<>(List.of(input(grouped, minute, 200), input(grouped, next, 300)))))));
        List<SamplesResult> oneAfterTheOther = new ArrayList<>();
        for (List<Object[]> request : List.of(List.<Object[]>of(new Object[] { minute, 100L }),
                List.<Object[]>of(new Object[] { minute, 200L }, new Object[] { next, 300L }))) {
            Response posted = fixtures
                .samples(request.stream().map(s -> sample(sequential, (Instant) s[0], (Long) s[1], 0)).toList());
            oneAfterTheOther.add(new SamplesResult(posted.body().get("accepted").asInt(),
                    posted.body().get("inserted").asInt(), posted.body().get("replaced").asInt()));
        }

        assertThat(fromGroup).containsExactlyElementsOf(oneAfterTheOther)
            .containsExactly(new SamplesResult(1, 1, 0), new SamplesResult(2, 1, 1));
        assertThat(inbound(grouped, minute)).as("the later request's sample, as one after the other")
            .isEqualTo(inbound(sequential, minute))
            .isEqualTo(200);
    }

    static SampleInput input(UUID network, Instant minute, long inbound) {
        return new SampleInput(network.toString(), minute.toString(), inbound, 0L);
    }

}
