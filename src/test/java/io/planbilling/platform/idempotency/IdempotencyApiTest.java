package io.planbilling.platform.idempotency;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@ApiTest
class IdempotencyApiTest {

    @Autowired
    TestApi api;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    private Response createAccount(String idempotencyKey, String name) {
        return api.request("POST", "/api/v1/accounts")
            .key(api.operator())
            .idempotencyKey(idempotencyKey)
            .json(Map.of("name", name))
            .send();
    }

    private long accountsNamed(String name) {
        return jdbc.sql("SELECT count(*) FROM accounts WHERE name = :name")
            .param("name", name)
            .query(Long.class)
            .single();
    }

    @Test
    void aRetryReplaysTheFirstResponseAndHasNoSecondEffect() {
        String key = UUID.randomUUID().toString();
        String name = "idem-" + key;

        Response first = createAccount(key, name);
        Response retry = createAccount(key, name);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.raw()).isEqualTo(first.raw());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(retry.header("Idempotent-Replayed")).contains("true");
        assertThat(first.header("Idempotent-Replayed")).isEmpty();
        assertThat(accountsNamed(name)).isEqualTo(1);
    }

    @Test
    void theSameKeyWithADifferentRequestIsRefused() {
        String key = UUID.randomUUID().toString();
        createAccount(key, "idem-a-" + key);

        assertProblem(createAccount(key, "idem-b-" + key), 422, "IDEMPOTENCY_KEY_REUSED");
        TestAccount account = api.createAccount("other path");
        assertProblem(api.request("POST", "/api/v1/accounts/" + account.id() + "/api-keys")
            .key(api.operator())
            .idempotencyKey(key)
            .json(Map.of("name", "idem-a-" + key))
            .send(), 422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(accountsNamed("idem-b-" + key)).isZero();
    }

    @Test
    void keysAreScopedToTheCallersKey() {
        TestAccount account = api.createAccount("another caller");
        String key = UUID.randomUUID().toString();
        assertThat(createAccount(key, "scoped-" + key).status()).isEqualTo(201);

        Response otherCaller = api.request("POST", "/api/v1/no-such-endpoint")
            .key(account.apiKey())
            .idempotencyKey(key)
            .json(Map.of("name", "x"))
            .send();

        // not IDEMPOTENCY_KEY_REUSED and not the operator's replay: each caller key has
        // its own key space
        assertProblem(otherCaller, 404, "NOT_FOUND");
    }

    @Test
    void aRefusedRequestIsNotStoredSoItsRetryRunsAgain() {
        TestAccount account = api.createAccount("refused then fixed");
        String key = UUID.randomUUID().toString();
        Map<String, Object> credit = Map.of("amount", TestApi.money("5.00"), "reference", "once-" + key);
        api.credit(account.id(), "1.00");
        api.post("/api/v1/accounts/" + account.id() + "/credits", api.operator(), credit);

        Response refused = api.request("POST", "/api/v1/accounts/" + account.id() + "/credits")
            .key(api.operator())
            .idempotencyKey(key)
            .json(credit)
            .send();

        assertProblem(refused, 409, "DUPLICATE_REFERENCE");
        assertThat(jdbc.sql("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = :key")
            .param("key", key)
            .query(Long.class)
            .single()).isZero();
        assertThat(api.balance(account)).isEqualTo("6.00");
    }

    @Test
    void concurrentRequestsWithOneKeyHaveOneEffect() throws Exception {
        String key = UUID.randomUUID().toString();
        String name = "race-" + key;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Response>> requests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            requests.add(() -> createAccount(key, name));
        }

        List<Response> responses = new ArrayList<>();
        for (Future<Response> response : pool.invokeAll(requests)) {
            responses.add(response.get());
        }
        pool.shutdown();

        assertThat(accountsNamed(name)).isEqualTo(1);
        List<Response> created = responses.stream().filter(r -> r.status() == 201).toList();
        assertThat(created).isNotEmpty();
        assertThat(created).extracting(Response::raw).containsOnly(created.get(0).raw());
        responses.stream()
            .filter(r -> r.status() != 201)
            .forEach(r -> assertProblem(r, 409, "IDEMPOTENCY_KEY_IN_PROGRESS"));
    }

    @Test
    void aKeyStillInProgressIsAConflict() {
        String key = UUID.randomUUID().toString();

        Response whileHeld = transactions.execute(status -> {
            // hold the key's lock exactly as a request in flight on another instance
            // would
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('operator' || chr(31) || :key, 0))")
                .param("key", key)
                .query(Object.class)
                .single();
            return createAccount(key, "held-" + key);
        });

        assertProblem(whileHeld, 409, "IDEMPOTENCY_KEY_IN_PROGRESS");
        assertThat(whileHeld.header("Retry-After")).isPresent();
        assertThat(accountsNamed("held-" + key)).isZero();
        assertThat(createAccount(key, "held-" + key).status()).isEqualTo(201);
    }

    @Test
    void invalidKeysAreRejected() {
        assertProblem(createAccount("x".repeat(256), "too long"), 400, "VALIDATION_FAILED");
        assertProblem(createAccount("with space", "space"), 400, "VALIDATION_FAILED");
        assertThat(createAccount("x".repeat(255), "longest-" + UUID.randomUUID()).status()).isEqualTo(201);
    }

    @Test
    void storedResponsesAreKeptForADayAndThenPurged() {
        String key = UUID.randomUUID().toString();
        String name = "kept-" + key;
        createAccount(key, name);
        api.post("/api/v1/admin/clock", api.operator(), Map.of("advance", "PT23H"));
        api.post("/api/v1/admin/lifecycle/run", api.operator(), Map.of());

        assertThat(createAccount(key, name).header("Idempotent-Replayed")).contains("true");

        api.post("/api/v1/admin/clock", api.operator(), Map.of("advance", "PT2H"));
        Response run = api.post("/api/v1/admin/lifecycle/run", api.operator(), Map.of());

        assertThat(run.body().toString()).contains("idempotency-key-purge");
        assertThat(createAccount(key, name).header("Idempotent-Replayed")).isEmpty();
        assertThat(accountsNamed(name)).isEqualTo(2);
    }

    @Test
    void aKeyedBodyOverTheLimitIsRefusedBeforeAnythingRuns() {
        String name = "huge-" + UUID.randomUUID();
        String body = "{\"name\": \"" + name + "\", \"pad\": \"" + "x".repeat(16 * 1024 * 1024) + "\"}";

        Response refused = api.request("POST", "/api/v1/accounts")
            .key(api.operator())
            .idempotencyKey(UUID.randomUUID().toString())
            .raw(body, "application/json")
            .send();

        assertProblem(refused, 413, "PAYLOAD_TOO_LARGE");
        assertThat(accountsNamed(name)).isZero();
    }

}
