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
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The console's writes at {@code -Dusers} (default 16) concurrent clients: each iteration creates a device, buys a
 * package without devices and binds the device to it — three requests, reported as {@code device}, {@code purchase}
 * and {@code bind}. Each iteration is the next of the fixture's 64 console accounts, as many customers' consoles would be (and
 * each account stays well inside its rate limit).
 */
public class ConsoleSimulation extends Simulation {

    private static final int USERS = Integer.getInteger("users", 16);
    private static final int SECONDS = Integer.getInteger("seconds", 20);

    private final List<String> keys = Fixture.consoleKeys();
    private final Phase phase = new Phase(System.getProperty("phase", "console"));
    private final AtomicInteger next = new AtomicInteger();

    private final HttpProtocolBuilder protocol = http.baseUrl(Fixture.BASE_URL)
            .contentTypeHeader("application/json").acceptHeader("application/json");

    private final ScenarioBuilder console = scenario("console")
            .during(Phase.length(SECONDS), false).on(
                    exec(session -> session.set("key", keys.get(next.getAndIncrement() % keys.size())))
                    .exec(http("device").post("/api/v1/devices").header("Authorization", "Bearer #{key}")
                            .body(StringBody("{\"name\":\"console-device\"}"))
                            .check(status().is(201), jsonPath("$.id").saveAs("deviceId"),
                                    responseTimeInMillis().saveAs("rtDevice")))
                    .exec(http("purchase").post("/api/v1/traffic-packages").header("Authorization", "Bearer #{key}")
                            .body(StringBody("{\"type\":\"DEVICE_5_FLOW_500G\",\"region\":\"GUANGZHOU\","
                                    + "\"deviceIds\":[],\"autoRenew\":false}"))
                            .check(status().is(201), jsonPath("$.id").saveAs("packageId"),
                                    responseTimeInMillis().saveAs("rtPurchase")))
                    .exec(http("bind").post("/api/v1/traffic-packages/#{packageId}/bindings")
                            .header("Authorization", "Bearer #{key}")
                            .body(StringBody("{\"deviceIds\":[\"#{deviceId}\"]}"))
                            .check(status().is(200), responseTimeInMillis().saveAs("rtBind")))
                    .exec(session -> {
                        if (!session.isFailed()) {
                            phase.acknowledged(1);
                            phase.responseTime("device", session.getInt("rtDevice"));
                            phase.responseTime("purchase", session.getInt("rtPurchase"));
                            phase.responseTime("bind", session.getInt("rtBind"));
                        }
                        return session.markAsSucceeded();
                    }));

    {
        setUp(console.injectOpen(atOnceUsers(USERS))).protocols(protocol);
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
