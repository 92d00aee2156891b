package io.planbilling.trafficpackage;

import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Fixtures of the usage tests: devices, packages and batches made through the API. */
final class UsageFixtures {

    static final long GB = 1024L * 1024 * 1024;

    private final TestApi api;

    UsageFixtures(TestApi api) {
        this.api = api;
    }

    UUID device(TestAccount account, String policy) {
        Response created = api.post("/api/v1/devices", account.apiKey(),
                Map.of("name", "device-" + UUID.randomUUID(), "overagePolicy", policy));
        if (created.status() != 201) {
            throw new IllegalStateException("device not created: " + created);
        }
        return created.id();
    }

    UUID device(TestAccount account) {
        return device(account, "PAY_AS_YOU_GO");
    }

    Response buy(TestAccount account, String type, String region, boolean autoRenew, UUID... devices) {
        return api.post("/api/v1/traffic-packages", account.apiKey(),
                Map.of("type", type, "region", region, "deviceIds", List.of(devices), "autoRenew", autoRenew));
    }

    UUID bought(TestAccount account, String type, String region, boolean autoRenew, UUID... devices) {
        Response bought = buy(account, type, region, autoRenew, devices);
        if (bought.status() != 201) {
            throw new IllegalStateException("package not bought: " + bought);
        }
        return bought.id();
    }

    Response pkg(TestAccount account, UUID id) {
        return api.get("/api/v1/traffic-packages/" + id, account.apiKey());
    }

    /** The service's time now. */
    Instant now() {
        return Instant.parse(api.get("/api/v1/admin/clock", api.operator()).text("/now"));
    }

    static Map<String, Object> record(String id, UUID device, String region, long bytes, Instant at) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", id);
        record.put("deviceId", device.toString());
        record.put("region", region);
        record.put("bytes", bytes);
        record.put("occurredAt", at.toString());
        return record;
    }

    Response post(List<? extends Map<String, ?>> records) {
        return api.post("/api/v1/traffic-usage", api.operator(), Map.of("records", records));
    }

    Response post(Map<String, ?>... records) {
        return post(new ArrayList<>(List.of(records)));
    }

    static String id() {
        return "rec-" + UUID.randomUUID();
    }

}
