package io.planbilling.bandwidthplan;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.Feed;
import io.planbilling.testing.SecondCopy;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.JsonNode;

/**
 * {@code bandwidth_plan.expiring}: reminders of a subscription's {@code expiresAt}
 * (renewals already bought included), once per plan, term end and reminder day; none for
 * pay-as-you-go or ended plans (docs/alerts.md).
 */
@ApiTest
class BandwidthExpiryReminderApiTest {

    private static final String EXPIRING = "bandwidth_plan.expiring";

    @Autowired
    TestApi api;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    BandwidthFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new BandwidthFixtures(api);
    }

    private Instant expiresAt(TestAccount account, UUID plan) {
        return Instant.parse(fixtures.plan(account, plan).text("/expiresAt"));
    }

    private void setClock(Instant at) {
        Response moved = api.post("/api/v1/admin/clock", api.operator(), Map.of("set", at.toString()));
        assertThat(moved.status()).as("%s", moved).isEqualTo(200);
    }

    private void runLifecycle() {
        Response run = api.post("/api/v1/admin/lifecycle/run", api.operator(), Map.of());
        assertThat(run.status()).as("%s", run).isEqualTo(200);
        assertThat(run.body().get("steps"))
            .allSatisfy(step -> assertThat(step.get("succeeded").asBoolean()).as("%s", step).isTrue());
    }

    private List<JsonNode> reminders(TestAccount account) {
        return new Feed(api, jdbc).events(account.apiKey(), EXPIRING);
    }

    private static List<Integer> days(List<JsonNode> reminders) {
        return reminders.stream().map(r -> r.at("/data/daysLeft").asInt()).toList();
    }

    @Test
    void remindsSevenThreeAndOneDayBeforeTheSubscriptionExpires() {
        TestAccount account = api.createAccount("plan reminders", "250.00");
        UUID plan = fixtures.buy(account, BandwidthFixtures.subscription("MONTH", 1, 10));
        Instant end = expiresAt(account, plan);

        for (int days : new int[] { 7, 3, 1 }) {
            setClock(end.minus(Duration.ofDays(days)).plusSeconds(60));
            runLifecycle();
            runLifecycle();
        }
        setClock(end.plusSeconds(60));
        runLifecycle();

        List<JsonNode> reminders = reminders(account);
        assertThat(days(reminders)).containsExactly(7, 3, 1);
        assertThat(reminders).allSatisfy(reminder -> {
            assertThat(reminder.get("resourceType").asString()).isEqualTo("BANDWIDTH_PLAN");
            assertThat(reminder.get("resourceId").asString()).isEqualTo(plan.toString());
            assertThat(Instant.parse(reminder.at("/data/endsAt").asString())).isEqualTo(end);
            assertThat(reminder.at("/data/expiresAt").asString()).isEqualTo(reminder.at("/data/endsAt").asString());
            assertThat(reminder.at("/data/renewalPrice/amount").asString()).isEqualTo("250.00");
            assertThat(reminder.at("/data/renewalAtRisk").asBoolean()).as("auto-renewal is off").isTrue();
            assertThat(reminder.at("/data/ipAddress").asString()).as("the API's view of a live plan").isNotBlank();
        });
    }

    @Test
    void aRenewalBoughtMovesTheEndAndItsRemindersStartAgain() {
        TestAccount account = api.createAccount("plan reminders renewed", "500.00");
        UUID plan = fixtures.buy(account, BandwidthFixtures.subscription("MONTH", 1, 10));
        Instant first = expiresAt(account, plan);
        setClock(first.minus(Duration.ofDays(7)));
        runLifecycle();
        Response renewed = api.post("/api/v1/bandwidth-plans/" + plan + "/renewals", account.apiKey(),
                Map.of("duration", Map.of("unit", "MONTH", "count", 1)));
        assertThat(renewed.status()).as("%s", renewed).isEqualTo(200);
        Instant second = expiresAt(account, plan);

        setClock(first.minus(Duration.ofDays(1))); // the old end is no end any more
        runLifecycle();
        assertThat(days(reminders(account))).containsExactly(7);
        setClock(second.minus(Duration.ofDays(7)));
        runLifecycle();

        List<JsonNode> reminders = reminders(account);
        assertThat(days(reminders)).containsExactly(7, 7);
        assertThat(reminders).extracting(r -> Instant.parse(r.at("/data/endsAt").asString()))
            .containsExactly(first, second);
    }

    @Test
    void anAutoRenewingSubscriptionIsAtRiskOnlyWhenTheBalanceDoesNotCoverTheNextTerm() {
        TestAccount account = api.createAccount("plan reminders auto", "500.00");
        UUID plan = fixtures.buy(account,
                BandwidthFixtures.with(BandwidthFixtures.subscription("MONTH", 1, 10), "autoRenew", true));
        Instant end = expiresAt(account, plan);

        setClock(end.minus(Duration.ofDays(7)));
        runLifecycle(); // 250.00 left: covers the next 250.00
        setClock(end.plusSeconds(60));
        runLifecycle(); // auto-renewed: 0.00 left, a new term
        Instant next = expiresAt(account, plan);
        setClock(next.minus(Duration.ofDays(3)));
        runLifecycle();

        List<JsonNode> reminders = reminders(account);
        assertThat(days(reminders)).containsExactly(7, 3);
        assertThat(reminders).extracting(r -> r.at("/data/renewalAtRisk").asBoolean()).containsExactly(false, true);
        assertThat(reminders.get(1).at("/data/endsAt").asString()).isEqualTo(next.toString());
    }

    @Test
    void aJumpSendsOnlyTheReminderWithTheFewestDaysLeft() {
        TestAccount account = api.createAccount("plan reminders jump", "250.00");
        UUID plan = fixtures.buy(account, BandwidthFixtures.subscription("MONTH", 1, 10));

        setClock(expiresAt(account, plan).minus(Duration.ofHours(12)));
        runLifecycle();
        runLifecycle();

        assertThat(days(reminders(account))).containsExactly(1);
    }

    @Test
    void payAsYouGoAndEndedPlansAreNotReminded() {
        TestAccount account = api.createAccount("plan reminders none", "500.00");
        UUID payg = fixtures.buy(account, BandwidthFixtures.payAsYouGo("PAY_BY_BANDWIDTH", 10));
        UUID unsubscribed = fixtures.buy(account, BandwidthFixtures.subscription("MONTH", 1, 10));
        Instant end = expiresAt(account, unsubscribed);
        assertThat(api.post("/api/v1/bandwidth-plans/" + unsubscribed + "/unsubscribe", account.apiKey(), Map.of())
            .status()).isEqualTo(200);

        setClock(end.minus(Duration.ofDays(1)));
        runLifecycle();

        assertThat(reminders(account)).isEmpty();
        // stops its hourly billing: later tests move the shared clock by days
        assertThat(api.delete("/api/v1/bandwidth-plans/" + payg, account.apiKey()).status()).isEqualTo(204);
    }

    @Test
    void theDatabaseKeyAloneRefusesASecondCopyOfAReminder() {
        TestAccount account = api.createAccount("plan reminders key", "250.00");
        UUID plan = fixtures.buy(account, BandwidthFixtures.subscription("MONTH", 1, 10));

        List<Integer> inserted = SecondCopy.insertTwice(jdbc, transactionManager, """
                INSERT INTO bandwidth_plan_expiry_reminders (plan_id, ends_at, days_left, sent_at)
                SELECT id, expires_at, 3, now() FROM bandwidth_plans WHERE id = ?
                ON CONFLICT DO NOTHING""", plan);

        assertThat(inserted).containsExactly(1, 0);
    }

}
