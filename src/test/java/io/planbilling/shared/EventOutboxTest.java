package io.planbilling.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox without a database: it collects a transaction's events and hands them to the
 * writer once, in order, just before the commit; a rollback writes nothing; recording
 * outside a read-write transaction is refused.
 */
class EventOutboxTest {

    private static final Instant NOW = Instant.parse("2026-11-30T08:15:00Z");

    private final List<List<EventWriter.Row>> writes = new ArrayList<>();

    private final JsonMapper json = JsonMapper.builder().build();

    private final EventOutbox outbox = new EventOutbox(writes::add, json, Clock.fixed(NOW, ZoneOffset.UTC));

    record View(UUID id, String status, @Nullable String note) {
    }

    @AfterEach
    void endTransaction() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.clearSynchronization();
        }
        TransactionSynchronizationManager.setActualTransactionActive(false);
        TransactionSynchronizationManager.setCurrentTransactionReadOnly(false);
    }

    private static void begin() {
        TransactionSynchronizationManager.initSynchronization();
        TransactionSynchronizationManager.setActualTransactionActive(true);
    }

    private static void commit() {
        TransactionSynchronizationUtils.triggerBeforeCommit(false);
        TransactionSynchronizationUtils.triggerAfterCompletion(TransactionSynchronization.STATUS_COMMITTED);
    }

    @Test
    void aTransactionsEventsAreWrittenOnceInTheOrderTheyWereRecordedJustBeforeTheCommit() {
        UUID account = UUID.randomUUID();
        List<UUID> resources = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        begin();
        for (UUID resource : resources) {
            outbox.record(EventType.TRAFFIC_PACKAGE_EXHAUSTED, account, "TRAFFIC_PACKAGE", resource,
                    new View(resource, "EXHAUSTED", null));
        }
        assertThat(writes).as("nothing is written before the commit").isEmpty();

        commit();

        assertThat(writes).hasSize(1);
        assertThat(writes.get(0)).extracting(EventWriter.Row::resourceId).containsExactlyElementsOf(resources);
        assertThat(writes.get(0)).allSatisfy(row -> {
            assertThat(row.type()).isEqualTo("traffic_package.exhausted");
            assertThat(row.version()).isEqualTo(2);
            assertThat(row.accountId()).isEqualTo(account);
            assertThat(row.occurredAt()).isEqualTo(NOW);
        });
    }

    @Test
    void aRolledBackTransactionWritesNothing() {
        begin();
        outbox.record(EventType.CREDIT_CREATED, UUID.randomUUID(), "LEDGER_ENTRY", UUID.randomUUID(),
                new View(UUID.randomUUID(), "x", null));

        TransactionSynchronizationUtils.triggerAfterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK);

        assertThat(writes).isEmpty();
    }

    @Test
    void theDataIsTheViewAsTheTransactionLeavesItPlusTheFieldsOfTheChange() {
        UUID id = UUID.randomUUID();
        StringBuilder status = new StringBuilder("ACTIVE");
        RegisteredEvents registered = new RegisteredEvents();
        registered.register(EventType.BANDWIDTH_PLAN_CHANGED, "previousPeakBandwidthMbps", 10);
        Map<String, @Nullable Object> change = new LinkedHashMap<>();
        change.put("lastStatusCode", null);
        begin();
        outbox.record(registered.drain(), UUID.randomUUID(), "BANDWIDTH_PLAN", id,
                at -> new View(id, status.toString(), at.toString()));
        outbox.record(EventType.WEBHOOK_ENDPOINT_DISABLED, UUID.randomUUID(), "WEBHOOK_ENDPOINT", id,
                new View(id, "DISABLED", null), change);
        status.replace(0, status.length(), "IN_USE");

        commit();

        JsonNode changed = json.readTree(writes.get(0).get(0).payload());
        assertThat(changed.get("status").asString()).as("taken at the commit").isEqualTo("IN_USE");
        assertThat(changed.get("note").asString()).as("the view at occurredAt").isEqualTo(NOW.toString());
        assertThat(changed.get("previousPeakBandwidthMbps").asInt()).isEqualTo(10);
        JsonNode disabled = json.readTree(writes.get(0).get(1).payload());
        assertThat(disabled.get("lastStatusCode").isNull()).isTrue();
        assertThat(disabled.get("note").isNull()).as("a null field of the view stays, as the API shows it").isTrue();
        assertThat(registered.isEmpty()).as("drained").isTrue();
    }

    @Test
    void anEventWithoutATransactionIsAProgrammingError() {
        assertThatIllegalStateException()
            .isThrownBy(() -> outbox.record(EventType.CREDIT_CREATED, UUID.randomUUID(), "LEDGER_ENTRY",
                    UUID.randomUUID(), new View(UUID.randomUUID(), "x", null)))
            .withMessageContaining("no transaction is active");
    }

    @Test
    void anEventInAReadOnlyTransactionIsAProgrammingError() {
        begin();
        TransactionSynchronizationManager.setCurrentTransactionReadOnly(true);

        assertThatIllegalStateException()
            .isThrownBy(() -> outbox.record(EventType.CREDIT_CREATED, UUID.randomUUID(), "LEDGER_ENTRY",
                    UUID.randomUUID(), new View(UUID.randomUUID(), "x", null)))
            .withMessageContaining("read-only");
    }

    @Test
    void eachTypeHasItsWireName() {
        assertThat(EventType.wireNames()).hasSize(EventType.values().length)
            .doesNotHaveDuplicates()
            .allMatch(name -> name.matches("[a-z_]+\\.[a-z_]+"));
        assertThat(EventType.CHARGE_ACCRUED.wireName()).isEqualTo("charge.accrued");
    }

}
