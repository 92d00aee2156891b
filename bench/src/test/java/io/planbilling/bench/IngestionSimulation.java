package io.planbilling.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Usage ingestion at one batch size ({@code -Dbatch}), {@code -Dusers} metering clients posting back to back for
 * {@code -Dseconds}. Every record carries 1 MiB to a device bound to a live package, so every acknowledged record
 * must be found exactly once in the packages' used bytes afterwards: the phase checks that and fails otherwise.
 */
public class IngestionSimulation extends Simulation {

    private static final int BATCH = Integer.getInteger("batch", 100);
    private static final int USERS = Integer.getInteger("users", 4);
    private static final int SECONDS = Integer.getInteger("seconds", 20);
    private static final long BYTES = 1L << 20;

    private final Fixture.Ingestion fixture = Fixture.ingestion();
    private final Phase phase = new Phase(System.getProperty("phase", "usage-" + BATCH));
    private final List<List<String>> partitions = new ArrayList<>();
    private final String prefix = Fixture.RUN + "-" + phase.hashCode() + "-" + System.nanoTime() + "-";
    private long usedBefore;

    private final HttpProtocolBuilder protocol = http.baseUrl(Fixture.BASE_URL)
            .authorizationHeader("Bearer " + Fixture.OPERATOR_KEY)
            .contentTypeHeader("application/json").acceptHeader("application/json");

    private final ScenarioBuilder metering = scenario("metering pipeline").during(Phase.length(SECONDS), false).on(
            exec(this::batch)
                    .exec(http("usage batch of " + BATCH).post("/api/v1/traffic-usage").body(StringBody("#{body}"))
                            .check(status().is(200), jsonPath("$.applied").ofInt().saveAs("applied"),
                                    responseTimeInMillis().saveAs("rt")))
                    .exec(session -> {
                        if (session.contains("applied")) {
                            phase.acknowledged(session.getInt("applied"));
                            phase.responseTime("usage", session.getInt("rt"));
                        }
                        return session.remove("applied").remove("body").remove("rt");
                    }));

    {
        for (int user = 0; user < USERS; user++) {
            partitions.add(partition(user));
        }
        setUp(metering.injectOpen(atOnceUsers(USERS))).protocols(protocol);
    }

    /**
     * The devices of user {@code u}: those of every package {@code p} with {@code p % USERS == u}. A metering pipeline
     * partitions its stream by device (as a Kafka topic keyed by device would), so concurrent posters never carry
     * the same package; the records of one poster rotate over its devices.
     */
    private List<String> partition(int user) {
        List<String> devices = fixture.devices();
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            if ((i / Fixture.DEVICES_PER_PACKAGE) % USERS == user) {
                mine.add(devices.get(i));
            }
        }
        return mine;
    }

    private Session batch(Session session) {
        int user = (int) ((session.userId() - 1) % USERS);
        List<String> devices = partitions.get(user);
        long sequence = session.contains("sequence") ? session.getLong("sequence") : 0;
        String occurredAt = Instant.now().toString();
        StringBuilder body = new StringBuilder(BATCH * 140 + 16).append("{\"records\":[");
        for (int i = 0; i < BATCH; i++) {
            long n = sequence + i;
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"id\":\"").append(prefix).append(user).append('-').append(n).append("\",\"deviceId\":\"")
                    .append(devices.get((int) (n % devices.size()))).append("\",\"region\":\"GUANGZHOU\",\"bytes\":")
                    .append(BYTES).append(",\"occurredAt\":\"").append(occurredAt).append("\"}");
        }
        return session.set("body", body.append("]}").toString()).set("sequence", sequence + BATCH);
    }

    @Override
    public void before() {
        usedBefore = Fixture.usedBytes(fixture.accountKey());
        phase.start();
    }

    @Override
    public void after() {
        long used = Fixture.usedBytes(fixture.accountKey()) - usedBefore;
        long expected = phase.acknowledgedAll() * BYTES;
        phase.finish("\"batch\":" + BATCH + ",\"users\":" + USERS + ",\"exactlyOnce\":" + (used == expected));
        if (used != expected) {
            throw new IllegalStateException("acknowledged " + phase.acknowledgedAll() + " records = " + expected
                    + " bytes, but the packages' used bytes grew by " + used);
        }
    }
}
