package io.planbilling.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.planbilling.shared.EventOutbox;
import io.planbilling.shared.EventType;
import io.planbilling.shared.EventWriter;
import io.planbilling.testing.PostgresJdbcTest;
import io.planbilling.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The events module's SQL on real PostgreSQL (a JDBC slice): the outbox's one statement
 * that writes a transaction's events and fans them out to the subscribed endpoints, and
 * the dispatcher's claim ({@code FOR UPDATE SKIP LOCKED} and a lease): each delivery goes
 * out once across racing dispatchers, a leased one waits for its lease, a later event of
 * a resource waits for the earlier one, failures are retried, given up and finally
 * disable the endpoint. On a database of its own, so that no other test context's
 * dispatcher claims these deliveries; retries wait an hour, so only a test moves them.
 */
@PostgresJdbcTest
@Import({ EventFeed.class, WebhookEndpoints.class, WebhookDeliveryRepository.class, WebhookDispatcher.class })
@EnableConfigurationProperties(WebhookSettings.class)
@TestPropertySource(properties = { "billing.webhooks.allow-private-networks=true",
        "billing.webhooks.connect-timeout=PT1S", "billing.webhooks.request-timeout=PT2S", "billing.webhooks.lease=PT5S",
        "billing.webhooks.jitter-percent=0", "billing.webhooks.initial-retry-interval=PT1H",
        "billing.webhooks.max-attempts=2", "billing.webhooks.disable-after-failures=3" })
class WebhookDeliverySqlTest {

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry properties) {
        TestDatabase.useOwn(properties, "webhook_delivery_sql");
    }

    @Autowired
    EventTable table;

    @Autowired
    EventOutbox outbox;

    @Autowired
    WebhookEndpoints endpoints;

    @Autowired
    WebhookDispatcher dispatcher;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    EventFeed feed;

    @Autowired
    JsonMapper json;

    @Autowired
    WebhookSettings settings;

    @Autowired
    MeterRegistry meters;

    /**
     * Each test counts the deliveries the dispatcher claims: none left over from another
     * test of this database may be due.
     */
    @BeforeEach
    void settleEarlierTestsDeliveries() {
        jdbc.sql("UPDATE webhook_deliveries SET status = 'FAILED' WHERE status = 'PENDING'").update();
    }

    private UUID account() {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO accounts (id, name, created_at, version) VALUES (:id, 'webhooks', now(), 0)")
            .param("id", id)
            .update();
        return id;
    }

    private WebhookEndpointView endpoint(UUID account, String url, String... types) {
        return endpoints.create(account, url, List.of(types), true);
    }

    private static EventWriter.Row row(String type, UUID account, UUID resource) {
        return new EventWriter.Row(type, EventOutbox.VERSION, account, "TEST", resource, Instant.now(),
                "{\"id\": \"" + resource + "\"}");
    }

    private void write(EventWriter.Row... rows) {
        transactions.executeWithoutResult(status -> table.write(List.of(rows)));
    }

    private List<String> deliveredTo(UUID endpoint) {
        return jdbc.sql("""
                SELECT e.type FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
                WHERE d.endpoint_id = :endpoint ORDER BY d.event_seq""")
            .param("endpoint", endpoint)
            .query(String.class)
            .list();
    }

    private String status(UUID endpoint) {
        return jdbc
            .sql("SELECT string_agg(status || '/' || attempts, ',' ORDER BY event_seq) FROM webhook_deliveries"
                    + " WHERE endpoint_id = :endpoint")
            .param("endpoint", endpoint)
            .query(String.class)
            .single();
    }

    private static Map<String, Long> succeededByEvent(Receiver receiver) {
        return receiver.received()
            .stream()
            .filter(received -> received.status() == 200)
            .collect(Collectors.groupingBy(Receiver.Received::eventId, Collectors.counting()));
    }

    @Test
    void oneStatementWritesTheEventsInOrderAndADeliveryForEachLiveSubscribedEndpoint() {
        UUID account = account();
        UUID other = account();
        WebhookEndpointView credits = endpoint(account, "http://127.0.0.1:9/credits", "credit.created");
        WebhookEndpointView all = endpoint(account, "http://127.0.0.1:9/all", "*");
        WebhookEndpointView disabled = endpoints.create(account, "http://127.0.0.1:9/off", List.of("*"), false);
        WebhookEndpointView deleted = endpoint(account, "http://127.0.0.1:9/gone", "*");
        endpoints.delete(account, deleted.id());
        WebhookEndpointView foreign = endpoint(other, "http://127.0.0.1:9/other", "*");
        UUID resource = UUID.randomUUID();

        write(row("credit.created", account, resource), row("refund.created", account, resource),
                row("credit.created", account, UUID.randomUUID()));

        List<Map<String, Object>> events = jdbc
            .sql("SELECT type, tx::text AS tx, seq FROM events WHERE account_id = :account ORDER BY seq")
            .param("account", account)
            .query()
            .listOfRows();
        assertThat(events).extracting(e -> e.get("type"))
            .containsExactly("credit.created", "refund.created", "credit.created");
        assertThat(events).extracting(e -> e.get("tx")).containsOnly(events.get(0).get("tx"));
        assertThat(deliveredTo(credits.id())).containsExactly("credit.created", "credit.created");
        assertThat(deliveredTo(all.id())).containsExactly("credit.created", "refund.created", "credit.created");
        assertThat(deliveredTo(disabled.id())).isEmpty();
        assertThat(deliveredTo(deleted.id())).isEmpty();
        assertThat(deliveredTo(foreign.id())).isEmpty();
    }

    @Test
    void aRolledBackTransactionWritesNoEventAndNoDelivery() {
        UUID account = account();
        WebhookEndpointView all = endpoint(account, "http://127.0.0.1:9/all", "*");

        transactions.executeWithoutResult(status -> {
            outbox.record(EventType.CREDIT_CREATED, account, "TEST", UUID.randomUUID(), Map.of("n", 1));
            status.setRollbackOnly();
        });
        transactions.executeWithoutResult(
                status -> outbox.record(EventType.CREDIT_CREATED, account, "TEST", UUID.randomUUID(), Map.of("n", 2)));

        assertThat(jdbc.sql("SELECT payload->>'n' FROM events WHERE account_id = :account")
            .param("account", account)
            .query(String.class)
            .list()).containsExactly("2");
        assertThat(deliveredTo(all.id())).containsExactly("credit.created");
    }

    /**
     * Dispatchers racing (as on several instances): every delivery still goes out once.
     */
    @Test
    void racingDispatchersSendEachDeliveryOnce() throws Exception {
        try (Receiver receiver = new Receiver()) {
            UUID account = account();
            receiver.secrets(endpoint(account, receiver.url(), "credit.created").secret());
            for (int i = 0; i < 30; i++) {
                write(row("credit.created", account, UUID.randomUUID()));
            }
            List<WebhookDispatcher> instances = new ArrayList<>(List.of(dispatcher));
            for (int i = 0; i < 3; i++) {
                instances.add(new WebhookDispatcher(
                        new WebhookDeliveryRepository(jdbc, transactions, endpoints, outbox, settings), feed, json,
                        settings, meters));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Integer>> racing = new ArrayList<>();
            for (WebhookDispatcher instance : instances) {
                racing.add(pool.submit(() -> {
                    int sent = 0;
                    for (int round = 0; round < 5; round++) {
                        sent += instance.dispatchOnce();
                    }
                    return sent;
                }));
            }
            int sent = 0;
            for (Future<Integer> future : racing) {
                sent += future.get();
            }
            pool.shutdown();
            instances.subList(1, instances.size()).forEach(WebhookDispatcher::stop);

            assertThat(sent).isEqualTo(30);
            await().until(() -> succeededByEvent(receiver).size() == 30);
            assertThat(receiver.received()).hasSize(30);
            assertThat(succeededByEvent(receiver).values()).containsOnly(1L);
        }
    }

    @Test
    void aDeliveryUnderAnotherInstancesLeaseWaitsUntilTheLeaseRunsOut() {
        try (Receiver receiver = new Receiver()) {
            UUID account = account();
            WebhookEndpointView endpoint = endpoint(account, receiver.url(), "*");
            receiver.secrets(endpoint.secret());
            write(row("credit.created", account, UUID.randomUUID()));
            jdbc.sql("UPDATE webhook_deliveries SET locked_until = now() + interval '1 hour' WHERE endpoint_id = :e")
                .param("e", endpoint.id())
                .update();

            assertThat(dispatcher.dispatchOnce()).isZero();
            jdbc.sql("UPDATE webhook_deliveries SET locked_until = now() - interval '1 second' WHERE endpoint_id = :e")
                .param("e", endpoint.id())
                .update();
            assertThat(dispatcher.dispatchOnce()).isEqualTo(1);

            assertThat(status(endpoint.id())).isEqualTo("SUCCEEDED/1");
        }
    }

    @Test
    void aLaterEventOfAResourceWaitsForTheEarlierOnesDelivery() {
        try (Receiver receiver = new Receiver()) {
            UUID account = account();
            WebhookEndpointView endpoint = endpoint(account, receiver.url(), "*");
            receiver.secrets(endpoint.secret()).policy(n -> n == 1 ? 500 : 200);
            UUID resource = UUID.randomUUID();
            write(row("credit.created", account, resource));
            write(row("refund.created", account, resource));

            assertThat(dispatcher.dispatchOnce()).isEqualTo(1);
            assertThat(dispatcher.dispatchOnce()).isZero();
            assertThat(status(endpoint.id())).isEqualTo("PENDING/1,PENDING/0");
            jdbc.sql("UPDATE webhook_deliveries SET next_attempt_at = now() WHERE endpoint_id = :e")
                .param("e", endpoint.id())
                .update();
            assertThat(dispatcher.dispatchOnce()).isEqualTo(1);
            assertThat(dispatcher.dispatchOnce()).isEqualTo(1);

            assertThat(status(endpoint.id())).isEqualTo("SUCCEEDED/2,SUCCEEDED/1");
            assertThat(receiver.received()).extracting(Receiver.Received::type)
                .containsExactly("credit.created", "credit.created", "refund.created");
        }
    }

    @Test
    void failedAttemptsAreRetriedLaterGivenUpAndFinallyDisableTheEndpointWithAnEvent() {
        try (Receiver receiver = new Receiver()) {
            UUID account = account();
            WebhookEndpointView endpoint = endpoint(account, receiver.url(), "credit.created", "refund.created");
            receiver.secrets(endpoint.secret()).policy(n -> 503);
            write(row("credit.created", account, UUID.randomUUID()));
            write(row("refund.created", account, UUID.randomUUID()));
            Function<String, Boolean> retryWaitsAboutAnHour = sql -> jdbc.sql(sql)
                .param("e", endpoint.id())
                .query(Boolean.class)
                .single();

            assertThat(dispatcher.dispatchOnce()).isEqualTo(2);
            assertThat(status(endpoint.id())).isEqualTo("PENDING/1,PENDING/1");
            assertThat(retryWaitsAboutAnHour.apply("SELECT bool_and(next_attempt_at > now() + interval '59 minutes')"
                    + " FROM webhook_deliveries WHERE endpoint_id = :e"))
                .isTrue();
            jdbc.sql("UPDATE webhook_deliveries SET next_attempt_at = now() WHERE endpoint_id = :e")
                .param("e", endpoint.id())
                .update();
            assertThat(dispatcher.dispatchOnce()).isEqualTo(2);

            assertThat(status(endpoint.id())).isEqualTo("FAILED/2,FAILED/2");
            assertThat(jdbc
                .sql("SELECT enabled, disabled_reason, consecutive_failures FROM webhook_endpoints WHERE id = :e")
                .param("e", endpoint.id())
                .query()
                .singleRow()).containsEntry("enabled", false)
                .containsEntry("disabled_reason", "TOO_MANY_FAILURES")
                .containsEntry("consecutive_failures", 4);
            assertThat(jdbc
                .sql("SELECT count(*) FROM events WHERE account_id = :account"
                        + " AND type = 'webhook_endpoint.disabled' AND resource_id = :e")
                .param("account", account)
                .param("e", endpoint.id())
                .query(Long.class)
                .single()).isEqualTo(1);
        }
    }

}
