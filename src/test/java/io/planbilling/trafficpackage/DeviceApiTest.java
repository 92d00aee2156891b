package io.planbilling.trafficpackage;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@ApiTest
class DeviceApiTest {

    @Autowired
    TestApi api;

    PackageApiSupport support;

    @BeforeEach
    void setUp() {
        support = new PackageApiSupport(api);
    }

    @Test
    void createsADevicePayingAsItGoesByDefault() {
        TestAccount account = api.createAccount("devices");

        Response created = api.post("/api/v1/devices", account.apiKey(), Map.of("name", " edge-07 "));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).contains("/api/v1/devices/" + created.id());
        assertThat(created.text("/name")).isEqualTo("edge-07");
        assertThat(created.text("/overagePolicy")).isEqualTo("PAY_AS_YOU_GO");
        assertThat(created.text("/payMode")).isEqualTo("PAY_AS_YOU_GO");
        assertThat(created.text("/packageId")).isNull();
        assertThat(api.get("/api/v1/devices/" + created.id(), account.apiKey()).text("/name")).isEqualTo("edge-07");
    }

    @Test
    void renamesAndChangesTheOveragePolicy() {
        TestAccount account = api.createAccount("patch devices");
        UUID device = support.device(account, "old");

        Response renamed = api.patch("/api/v1/devices/" + device, account.apiKey(), Map.of("name", "new"));
        Response cutOff = api.patch("/api/v1/devices/" + device, account.apiKey(), Map.of("overagePolicy", "CUT_OFF"));

        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.text("/name")).isEqualTo("new");
        assertThat(cutOff.text("/name")).isEqualTo("new");
        assertThat(cutOff.text("/overagePolicy")).isEqualTo("CUT_OFF");
        assertProblem(api.patch("/api/v1/devices/" + device, account.apiKey(), Map.of("name", " ")), 400,
                "VALIDATION_FAILED");
    }

    @Test
    void listsDevicesFreeToBindNewestFirst() {
        TestAccount account = api.createAccount("device list", "100.00");
        UUID free = support.device(account, "free");
        UUID bound = support.device(account, "bound");
        UUID packageId = support.bought(account, "DEVICE_1_FLOW_20G", List.of(bound), false);

        Response all = api.get("/api/v1/devices", account.apiKey());
        Response unbound = api.get("/api/v1/devices?bound=false", account.apiKey());
        Response onPackages = api.get("/api/v1/devices?bound=true", account.apiKey());

        assertThat(ids(all)).containsExactly(bound, free);
        assertThat(all.body().at("/page/totalElements").asLong()).isEqualTo(2);
        assertThat(ids(unbound)).containsExactly(free);
        assertThat(ids(onPackages)).containsExactly(bound);
        Response read = api.get("/api/v1/devices/" + bound, account.apiKey());
        assertThat(read.text("/payMode")).isEqualTo("PACKAGE");
        assertThat(read.text("/packageId")).isEqualTo(packageId.toString());
        assertProblem(api.get("/api/v1/devices?size=500", account.apiKey()), 400, "VALIDATION_FAILED");
    }

    @Test
    void anotherAccountsDeviceIsNotFound() {
        TestAccount owner = api.createAccount("owner");
        TestAccount other = api.createAccount("other");
        UUID device = support.device(owner, "mine");

        assertProblem(api.get("/api/v1/devices/" + device, other.apiKey()), 404, "NOT_FOUND");
        assertProblem(api.patch("/api/v1/devices/" + device, other.apiKey(), Map.of("name", "x")), 404, "NOT_FOUND");
        assertProblem(api.get("/api/v1/devices/" + device + "/usage?from=2026-01-01T00:00:00Z&to=2030-01-01T00:00:00Z",
                other.apiKey()), 404, "NOT_FOUND");
        assertThat(api.get("/api/v1/devices", other.apiKey()).body().at("/page/totalElements").asLong()).isZero();
    }

    @Test
    void reportsUsageTotalsForAnInterval() {
        TestAccount account = api.createAccount("usage totals", "100.00");
        UUID device = support.device(account, "metered");
        support.bought(account, "DEVICE_1_FLOW_20G", List.of(device), false);
        support.use(device, "GUANGZHOU", 3 * PackageApiSupport.GB);
        support.use(device, "SILICON_VALLEY", 5);
        var now = support.now();

        Response usage = api.get(
                "/api/v1/devices/" + device + "/usage?from=" + now.minusSeconds(3600) + "&to=" + now.plusSeconds(1),
                account.apiKey());
        Response before = api.get(
                "/api/v1/devices/" + device + "/usage?from=" + now.minusSeconds(7200) + "&to=" + now.minusSeconds(3600),
                account.apiKey());

        assertThat(usage.status()).as("%s", usage).isEqualTo(200);
        assertThat(usage.body().get("packageBytes").asLong()).isEqualTo(3 * PackageApiSupport.GB);
        assertThat(usage.body().get("paygBytes").asLong()).isEqualTo(5);
        assertThat(usage.body().get("blockedBytes").asLong()).isZero();
        assertThat(before.body().get("packageBytes").asLong()).isZero();
        assertProblem(api.get("/api/v1/devices/" + device + "/usage?from=" + now + "&to=" + now.minusSeconds(1),
                account.apiKey()), 400, "VALIDATION_FAILED");
        assertProblem(api.get("/api/v1/devices/" + device + "/usage?from=yesterday&to=" + now, account.apiKey()), 400,
                "VALIDATION_FAILED");
    }

    private static List<UUID> ids(Response page) {
        List<UUID> ids = new ArrayList<>();
        page.body().get("content").forEach(node -> ids.add(UUID.fromString(node.get("id").asString())));
        return ids;
    }

}
