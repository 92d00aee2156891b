package io.planbilling.trafficpackage;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Fixtures of the package and device API tests: devices, purchases, usage and the shared
 * test clock.
 */
final class PackageApiSupport {

    static final long GB = TrafficPackageType.GB;

    private final TestApi api;

    PackageApiSupport(TestApi api) {
        this.api = api;
    }

    UUID device(TestAccount account, String name) {
        return device(account, name, "PAY_AS_YOU_GO");
    }

    UUID device(TestAccount account, String name, String policy) {
        Response created = api.post("/api/v1/devices", account.apiKey(), Map.of("name", name, "overagePolicy", policy));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.id();
    }

    Response purchase(TestAccount account, String type, String region, List<UUID> devices, boolean autoRenew) {
        return api.post("/api/v1/traffic-packages", account.apiKey(),
                Map.of("type", type, "region", region, "deviceIds", devices, "autoRenew", autoRenew));
    }

    UUID bought(TestAccount account, String type, List<UUID> devices, boolean autoRenew) {
        Response bought = purchase(account, type, "GUANGZHOU", devices, autoRenew);
        assertThat(bought.status()).as("%s", bought).isEqualTo(201);
        return bought.id();
    }

    Response read(TestAccount account, UUID packageId) {
        return api.get("/api/v1/traffic-packages/" + packageId, account.apiKey());
    }

    /** Posts one usage record (operator) that occurred at the clock's current time. */
    Response use(UUID device, String region, long bytes) {
        Map<String, Object> record = new HashMap<>();
        record.put("id", "rec-" + UUID.randomUUID());
        record.put("deviceId", device.toString());
        record.put("region", region);
        record.put("bytes", bytes);
        record.put("occurredAt", now().toString());
        Response applied = api.post("/api/v1/traffic-usage", api.operator(), Map.of("records", List.of(record)));
        assertThat(applied.status()).as("%s", applied).isEqualTo(200);
        return applied;
    }

    Instant now() {
        return Instant.parse(api.get("/api/v1/admin/clock", api.operator()).text("/now"));
    }

    Instant advance(String amount) {
        Response moved = api.post("/api/v1/admin/clock", api.operator(), Map.of("advance", amount));
        assertThat(moved.status()).as("%s", moved).isEqualTo(200);
        return Instant.parse(moved.text("/now"));
    }

    Response runLifecycle() {
        Response run = api.runLifecycle();
        assertThat(run.status()).as("%s", run).isEqualTo(200);
        return run;
    }

    /**
     * The account's ledger kinds and amounts, oldest first, e.g. {@code PURCHASE -70.00}.
     */
    List<String> ledger(TestAccount account) {
        Response ledger = api.get("/api/v1/account/ledger?size=200", account.apiKey());
        List<String> entries = new ArrayList<>();
        ledger.body()
            .get("content")
            .forEach(entry -> entries.add(0,
                    entry.get("kind").asString() + " " + entry.at("/amount/amount").asString()));
        return entries;
    }

}
