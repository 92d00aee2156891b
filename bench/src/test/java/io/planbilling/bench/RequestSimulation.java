package io.planbilling.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * One authenticated request, back to back from {@code -Dusers} clients for {@code -Dseconds}, each iteration with the
 * next of many account keys:
 * <ul>
 * <li>{@code -Dtarget=service -Dmode=read}: the service's {@code GET /api/v1/account} (the account and its balance,
 * one of 256 reader accounts);</li>
 * <li>{@code -Dtarget=floor -Dmode=read}: the framework floor's {@code GET /floor/account} (bench/floor);</li>
 * <li>{@code -Dtarget=floor -Dmode=write}: the floor's {@code POST /floor/writes}, one durable row per request.</li>
 * </ul>
 * Reported as {@code read} or {@code write}.
 */
public class RequestSimulation extends Simulation {

    private static final int USERS = Integer.getInteger("users", 16);

    private static final int SECONDS = Integer.getInteger("seconds", 20);

    private static final String TARGET = System.getProperty("target", "floor");

    private static final String MODE = System.getProperty("mode", "write");

    private final List<String> keys = TARGET.equals("floor")
            ? IntStream.rangeClosed(1, 64).mapToObj(n -> "floor-key-" + n).toList() : Fixture.readerKeys();

    private final Phase phase = new Phase(System.getProperty("phase", TARGET + "-" + MODE));

    private final AtomicLong next = new AtomicLong();

    private final String prefix = Fixture.RUN + "-" + System.nanoTime() + "-";

    private final HttpProtocolBuilder protocol = http
        .baseUrl(TARGET.equals("floor") ? System.getProperty("floorUrl", "http://localhost:18090") : Fixture.BASE_URL)
        .contentTypeHeader("application/json")
        .acceptHeader("application/json");

    private final ScenarioBuilder clients = scenario(TARGET + " " + MODE).during(Phase.length(SECONDS), false)
        .on(exec(session -> {
            long n = next.getAndIncrement();
            return session.set("key", keys.get((int) (n % keys.size()))).set("n", n);
        }).exec(request().header("Authorization", "Bearer #{key}")
            .check(status().is(MODE.equals("write") ? 201 : 200), responseTimeInMillis().saveAs("rt")))
            .exec(session -> {
                if (!session.isFailed()) {
                    phase.acknowledged(1);
                    phase.responseTime(MODE, session.getInt("rt"));
                }
                return session.markAsSucceeded();
            }));

    private HttpRequestActionBuilder request() {
        if (MODE.equals("write")) {
            return http("write").post("/floor/writes")
                .body(StringBody("{\"id\":\"" + prefix + "#{n}\",\"bytes\":1048576}"));
        }
        return http("read").get(TARGET.equals("floor") ? "/floor/account" : "/api/v1/account");
    }

    {
        setUp(clients.injectOpen(atOnceUsers(USERS))).protocols(protocol);
    }

    @Override
    public void before() {
        phase.start();
    }

    @Override
    public void after() {
        phase.finish("\"users\":" + USERS);
    }

}
