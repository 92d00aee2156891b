package io.planbilling.trafficpackage;

import static io.planbilling.trafficpackage.UsageFixtures.GB;
import static io.planbilling.trafficpackage.UsageFixtures.id;
import static io.planbilling.trafficpackage.UsageFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.Feed;
import io.planbilling.testing.Race;
import io.planbilling.testing.SecondCopy;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.JsonNode;

/**
 * {@code traffic_package.expiring}: the lifecycle job reminds of a cycle's end at its
 * first run at or after {@code validUntil − days × 24 h}, once per package, cycle and
 * reminder day; of several due at once only the one with the fewest days left
 * (docs/alerts.md). Moved through the shared test clock, so each test works from its own
 * packages' ends.
 */
@ApiTest
class TrafficExpiryReminderApiTest {

    private static final Logger log = LoggerFactory.getLogger(TrafficExpiryReminderApiTest.class);

    private static final String EXPIRING = "traffic_package.expiring";

    @Autowired
    TestApi api;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TrafficPackageExpiryReminders step;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    Clock clock;

    UsageFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new UsageFixtures(api);
    }

    private Instant validUntil(TestAccount account, UUID pkg) {
        return Instant.parse(fixtures.pkg(account, pkg).text("/validUntil"));
    }

    private void setClock(Instant at) {
        Response moved = api.post("/api/v1/admin/clock", api.operator(), Map.of("set", at.toString()));
        assertThat(moved.status()).as("%s", moved).isEqualTo(200);
    }

    private long runLifecycle() {
        Response run = api.post("/api/v1/admin/lifecycle/run", api.operator(), Map.of());
        assertThat(run.status()).as("%s", run).isEqualTo(200);
        for (JsonNode step : run.body().get("steps")) {
            if (step.get("name").asString().equals("traffic-package-expiry-reminders")) {
                assertThat(step.get("succeeded").asBoolean()).as("%s", step).isTrue();
                return step.at("/counts/remindersSent").asLong();
            }
        }
        throw new AssertionError("no reminder step in " + run);
    }

    private List<JsonNode> reminders(TestAccount account) {
        return new Feed(api, jdbc).events(account.apiKey(), EXPIRING);
    }

    private static List<Integer> days(List<JsonNode> reminders) {
        return reminders.stream().map(r -> r.at("/data/daysLeft").asInt()).toList();
    }

    @Test
    void remindsSevenThreeAndOneDayBeforeTheEndEachOnce() {
        TestAccount account = api.createAccount("reminders 7 3 1", "30.00");
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false);
        Instant end = validUntil(account, pkg);

        setClock(end.minus(Duration.ofDays(7)).minusSeconds(60));
        runLifecycle();
        assertThat(reminders(account)).as("a minute before the first falls due").isEmpty();
        setClock(end.minus(Duration.ofDays(7)));
        runLifecycle();
        runLifecycle();
        assertThat(days(reminders(account))).containsExactly(7);
        setClock(end.minus(Duration.ofDays(3)).plusSeconds(60));
        runLifecycle();
        setClock(end.minus(Duration.ofDays(1)).plusSeconds(60));
        runLifecycle();
        runLifecycle();
        setClock(end.plusSeconds(60));
        runLifecycle();

        List<JsonNode> reminders = reminders(account);
        assertThat(days(reminders)).containsExactly(7, 3, 1);
        assertThat(reminders).allSatisfy(reminder -> {
            assertThat(reminder.get("resourceType").asString()).isEqualTo("TRAFFIC_PACKAGE");
            assertThat(reminder.get("resourceId").asString()).isEqualTo(pkg.toString());
            assertThat(Instant.parse(reminder.at("/data/endsAt").asString())).isEqualTo(end);
            assertThat(reminder.at("/data/validUntil").asString()).isEqualTo(reminder.at("/data/endsAt").asString());
            assertThat(reminder.at("/data/status").asString()).isEqualTo("ACTIVE");
            assertThat(reminder.at("/data/renewalPrice/amount").asString()).isEqualTo("30.00");
            assertThat(reminder.at("/data/renewalAtRisk").asBoolean()).as("auto-renewal is off").isTrue();
            assertThat(reminder.get("actor").asString()).as("the manual run is the operator's").isEqualTo("operator");
        });
        Instant third = end.minus(Duration.ofDays(3)).plusSeconds(60);
        assertThat(Instant.parse(reminders.get(1).get("occurredAt").asString())).as("sent by that run")
            .isBetween(third, third.plusSeconds(60));
    }

    @Test
    void whenSeveralFallDueAtOnceOnlyTheOneWithTheFewestDaysLeftIsSent() {
        TestAccount account = api.createAccount("reminders jump", "30.00");
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false);
        Instant end = validUntil(account, pkg);

        setClock(end.minus(Duration.ofDays(2))); // 7 and 3 have fallen due: 3 is sent, 7
                                                 // skipped for good
        runLifecycle();
        runLifecycle();
        assertThat(days(reminders(account))).containsExactly(3);
        setClock(end.minus(Duration.ofHours(1)));
        runLifecycle();

        assertThat(days(reminders(account))).containsExactly(3, 1);
    }

    @Test
    void renewalAtRiskUnlessAutoRenewalIsOnAndTheBalanceCoversTheNextCycle() {
        TestAccount covered = api.createAccount("reminders covered", "130.00");
        TestAccount short_ = api.createAccount("reminders short", "70.00");
        UUID renews = fixtures.bought(covered, "DEVICE_2_FLOW_50G", "GUANGZHOU", true);
        UUID downgrading = fixtures.bought(short_, "DEVICE_2_FLOW_50G", "GUANGZHOU", true);
        Response downgrade = api.post("/api/v1/traffic-packages/" + downgrading + "/tier-change", short_.apiKey(),
                Map.of("type", "DEVICE_1_FLOW_20G"));
        assertThat(downgrade.status()).as("%s", downgrade).isEqualTo(200);
        Instant end = validUntil(covered, renews).isAfter(validUntil(short_, downgrading)) ? validUntil(covered, renews)
                : validUntil(short_, downgrading);

        setClock(end.minus(Duration.ofDays(7)));
        runLifecycle();

        JsonNode coveredReminder = reminders(covered).get(0);
        assertThat(coveredReminder.at("/data/renewalPrice/amount").asString()).isEqualTo("70.00");
        assertThat(coveredReminder.at("/data/renewalAtRisk").asBoolean()).as("60.00 covers 70.00? no").isTrue();
        api.credit(covered.id(), "10.00");
        setClock(end.minus(Duration.ofDays(3)));
        runLifecycle();
        assertThat(reminders(covered).get(1).at("/data/renewalAtRisk").asBoolean()).as("70.00 covers 70.00").isFalse();
        // the next cycle is the pending downgrade's: its price is what renewing costs,
        // and 0.00 does not cover it
        JsonNode shortReminder = reminders(short_).get(0);
        assertThat(shortReminder.at("/data/renewalPrice/amount").asString()).isEqualTo("30.00");
        assertThat(shortReminder.at("/data/renewalAtRisk").asBoolean()).isTrue();
        assertThat(shortReminder.at("/data/pendingChange/type").asString()).isEqualTo("DEVICE_1_FLOW_20G");
    }

    @Test
    void endedCyclesAreNotRemindedAndASuccessorIsRemindedOfItsOwnEnd() {
        TestAccount account = api.createAccount("reminders ended", "100.00");
        UUID device = fixtures.device(account);
        UUID exhausting = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", true, device);
        UUID unsubscribed = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false);
        assertThat(api.post("/api/v1/traffic-packages/" + unsubscribed + "/unsubscribe", account.apiKey(), Map.of())
            .status()).isEqualTo(200);
        Instant end = validUntil(account, exhausting);
        setClock(end.minus(Duration.ofDays(10)));
        assertThat(fixtures.post(record(id(), device, "GUANGZHOU", 20 * GB, fixtures.now())).status()).isEqualTo(200);
        UUID successor = UUID.fromString(fixtures.pkg(account, exhausting).text("/successorId"));

        setClock(end.minus(Duration.ofDays(1)));
        runLifecycle();
        assertThat(reminders(account)).as("the exhausted, renewed cycle and the unsubscribed one").isEmpty();
        setClock(validUntil(account, successor).minus(Duration.ofDays(7)));
        runLifecycle();

        List<JsonNode> reminders = reminders(account);
        assertThat(reminders).extracting(r -> r.get("resourceId").asString()).containsExactly(successor.toString());
        assertThat(reminders.get(0).at("/data/predecessorId").asString()).isEqualTo(exhausting.toString());
    }

    @Test
    void noRemindersWhenTheAccountAsksForNone() {
        TestAccount account = api.createAccount("reminders none", "30.00");
        Map<String, Object> settings = new HashMap<>();
        settings.put("trafficUsageThresholds", List.of(80, 100));
        settings.put("expiryReminderDays", List.of());
        assertThat(api.put("/api/v1/alert-settings", account.apiKey(), settings).status()).isEqualTo(200);
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false);

        setClock(validUntil(account, pkg).minus(Duration.ofDays(1)));
        runLifecycle();

        assertThat(reminders(account)).isEmpty();
    }

    @Test
    void twoConcurrentManualRunsSendEachReminderOnce() {
        TestAccount account = api.createAccount("reminders two runs", "90.00");
        List<UUID> packages = List.of(fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false),
                fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false),
                fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false));
        setClock(validUntil(account, packages.get(2)).minus(Duration.ofDays(7)));

        List<Integer> statuses = Race.times(2,
                () -> api.post("/api/v1/admin/lifecycle/run", api.operator(), Map.of()).status());

        // the runs share one lock: the second waits for the first (or gives up after
        // billing.lifecycle.manual-wait)
        assertThat(statuses).contains(200).allMatch(status -> status == 200 || status == 409);
        log.info("Two concurrent manual lifecycle runs answered {}", statuses);
        assertThat(reminders(account)).extracting(r -> r.get("resourceId").asString())
            .containsExactlyInAnyOrderElementsOf(packages.stream().map(UUID::toString).toList());
    }

    /**
     * Four transactions run the step at once — what instances do whose lifecycle lock has
     * expired, or a rerun while a crashed run's transaction is still open — over more
     * packages than one chunk: every package gets its reminder exactly once, and the
     * runs' counts add up to it.
     */
    @Test
    void fourTransactionsRunningTheStepAtOnceSendEachReminderOnce() {
        List<TestAccount> accounts = new ArrayList<>();
        List<UUID> packages = new ArrayList<>();
        for (int a = 0; a < 5; a++) {
            TestAccount account = api.createAccount("reminders step race " + a, "900.00");
            accounts.add(account);
            for (int p = 0; p < 30; p++) {
                packages.add(fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false));
            }
        }
        Instant latest = validUntil(accounts.get(4), packages.get(packages.size() - 1));
        setClock(latest.minus(Duration.ofDays(7)));
        Instant now = clock.instant();

        List<Long> sent = Race.times(4, () -> step.run(now).get("remindersSent"));
        List<Long> rerun = Race.times(2, () -> step.run(now).get("remindersSent"));

        log.info("Four concurrent reminder steps sent {} (a rerun {}) for {} due packages", sent, rerun,
                packages.size());
        List<String> reminded = new ArrayList<>();
        accounts.forEach(account -> reminders(account).forEach(r -> reminded.add(r.get("resourceId").asString())));
        assertThat(reminded).hasSize(packages.size())
            .containsExactlyInAnyOrderElementsOf(packages.stream().map(UUID::toString).toList());
        assertThat(sent.stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(packages.size());
        assertThat(rerun).containsOnly(0L);
        assertThat(jdbc.queryForObject(
                "SELECT count(*) FROM traffic_package_expiry_reminders WHERE package_id" + " = ANY(CAST(? AS uuid[]))",
                Integer.class, (Object) packages.stream().map(UUID::toString).toArray(String[]::new)))
            .isEqualTo(packages.size());
    }

    @Test
    void theDatabaseKeyAloneRefusesASecondCopyOfAReminder() {
        TestAccount account = api.createAccount("reminders key", "30.00");
        UUID pkg = fixtures.bought(account, "DEVICE_1_FLOW_20G", "GUANGZHOU", false);

        List<Integer> inserted = SecondCopy.insertTwice(jdbc, transactionManager, """
                INSERT INTO traffic_package_expiry_reminders (package_id, days_left, sent_at) VALUES (?, 7, now())
                ON CONFLICT DO NOTHING""", pkg);

        assertThat(inserted).containsExactly(1, 0);
    }

}
