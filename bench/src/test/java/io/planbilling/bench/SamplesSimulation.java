package io.planbilling.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bandwidth samples at one batch size ({@code -Dbatch}, default 1,000): each sample a distinct network and minute,
 * walking back from a day ago, so every sample is a new row rather than a replacement.
 */
public class SamplesSimulation extends Simulation {

    private static final int BATCH = Integer.getInteger("batch", 1000);
    private static final int USERS = Integer.getInteger("users", 4);
    private static final int SECONDS = Integer.getInteger("seconds", 20);

    private final List<String> networks = Fixture.networks();
    private final Phase phase = new Phase(System.getProperty("phase", "samples-" + BATCH));
    private final AtomicLong sequence = new AtomicLong();
    private final Instant origin = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(1));

    private final HttpProtocolBuilder protocol = http.baseUrl(Fixture.BASE_URL)
            .authorizationHeader("Bearer " + Fixture.OPERATOR_KEY)
            .contentTypeHeader("application/json").acceptHeader("application/json");

    private final ScenarioBuilder sampler = scenario("network sampler").during(Phase.length(SECONDS), false).on(
            exec(session -> session.set("body", batch()))
                    .exec(http("samples batch of " + BATCH).post("/api/v1/bandwidth-samples")
                            .body(StringBody("#{body}")).check(status().is(200), responseTimeInMillis().saveAs("rt")))
                    .exec(session -> {
                        if (!session.isFailed()) {
                            phase.acknowledged(BATCH);
                            phase.responseTime("samples", session.getInt("rt"));
                        }
                        return session.remove("body").remove("rt");
                    }));

    {
        setUp(sampler.injectOpen(atOnceUsers(USERS))).protocols(protocol);
    }

    private String batch() {
        StringBuilder body = new StringBuilder(BATCH * 130 + 16).append("{\"samples\":[");
        for (int i = 0; i < BATCH; i++) {
            long n = sequence.getAndIncrement();
            if (i > 0) {
                body.append(',');
            }
            Instant minute = origin.minus(Duration.ofMinutes(n / networks.size()));
            body.append("{\"officeNetworkId\":\"").append(networks.get((int) (n % networks.size())))
                    .append("\",\"minute\":\"").append(minute).append("\",\"inboundBytes\":").append(37_500_000L + n % 1000)
                    .append(",\"outboundBytes\":").append(12_000_000L + n % 777).append('}');
        }
        return body.append("]}").toString();
    }

    @Override
    public void before() {
        phase.start();
    }

    @Override
    public void after() {
        phase.finish("\"batch\":" + BATCH + ",\"users\":" + USERS);
    }
}
