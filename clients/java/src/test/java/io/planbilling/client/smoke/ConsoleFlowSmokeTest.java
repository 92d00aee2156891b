package io.planbilling.client.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.planbilling.client.ApiClient;
import io.planbilling.client.api.AccountApi;
import io.planbilling.client.api.AccountsOperatorApi;
import io.planbilling.client.api.DevicesApi;
import io.planbilling.client.api.EventsApi;
import io.planbilling.client.api.TrafficPackagesApi;
import io.planbilling.client.api.TrafficUsageOperatorApi;
import io.planbilling.client.model.BillView;
import io.planbilling.client.model.ChangeTier200Response;
import io.planbilling.client.model.CreateAccountRequest;
import io.planbilling.client.model.CreateDeviceRequest;
import io.planbilling.client.model.CreatedAccount;
import io.planbilling.client.model.CreditRequest;
import io.planbilling.client.model.DeviceView;
import io.planbilling.client.model.EventView;
import io.planbilling.client.model.LedgerEntryView;
import io.planbilling.client.model.Money;
import io.planbilling.client.model.MoneyInput;
import io.planbilling.client.model.RecordResult;
import io.planbilling.client.model.TierChangeRequest;
import io.planbilling.client.model.TrafficCatalogView;
import io.planbilling.client.model.TrafficPackagePurchaseRequest;
import io.planbilling.client.model.TrafficPackageQuote;
import io.planbilling.client.model.TrafficPackageView;
import io.planbilling.client.model.Type;
import io.planbilling.client.model.UsageBatch;
import io.planbilling.client.model.UsageBatchResult;
import io.planbilling.client.model.UsageRecordInput;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's first flow, through the generated Java client, against a running service (.ci/clients starts
 * one and passes {@code billing.url} and {@code billing.operator-key}): the operator creates an account and tops it
 * up; the account creates a device, reads the catalog, previews and buys a package; the operator posts the device's
 * usage; the account reads the package, previews an upgrade (an answer of two shapes under one status), reads its bill
 * and its event feed. Every answer is read strictly
 * ({@link StrictClients}), so a member the document does not declare fails here before it surprises an integrator.
 */
class ConsoleFlowSmokeTest {

    private static final ZoneId BILLING_ZONE = ZoneId.of("Asia/Shanghai"); // billing.zone's default (docs/)
    private static final long GIB = 1L << 30;
    private static final String TOP_UP = "300.00";

    private static String baseUrl;
    private static String operatorKey;

    @BeforeAll
    static void service() {
        baseUrl = required("billing.url");
        operatorKey = required("billing.operator-key");
    }

    @Test
    void anAccountBuysAPackageUsesItAndFindsThePurchaseOnItsBillAndInItsFeed() throws Exception {
        String run = UUID.randomUUID().toString();
        ApiClient operator = StrictClients.forKey(baseUrl, operatorKey);
        AccountsOperatorApi accounts = new AccountsOperatorApi(operator);

        CreatedAccount account = accounts.createAccount(new CreateAccountRequest().name("Smoke " + run), null);
        assertThat(account.getApiKey()).isNotBlank();
        assertThat(account.getBalance()).isEqualTo(cny("0.00"));

        LedgerEntryView credit = accounts.creditAccount(account.getId(), new CreditRequest()
                .amount(new MoneyInput().amount(TOP_UP).currency("CNY"))
                .reference("smoke-" + run), "smoke-credit-" + run);
        assertThat(credit.getKind().getValue()).isEqualTo("CREDIT");
        assertThat(credit.getBalanceAfter()).isEqualTo(cny(TOP_UP));

        ApiClient customer = StrictClients.forKey(baseUrl, account.getApiKey());
        TrafficPackagesApi packages = new TrafficPackagesApi(customer);
        AccountApi own = new AccountApi(customer);

        DeviceView device = new DevicesApi(customer)
                .createDevice(new CreateDeviceRequest().name("edge-smoke-01"), null);
        assertThat(device.getName()).isEqualTo("edge-smoke-01");
        assertThat(device.getPackageId()).isNull();

        TrafficCatalogView catalog = packages.getTrafficCatalog();
        Type offer = offer(catalog, "DEVICE_2_FLOW_50G");
        Money price = listPrice(catalog, "DEVICE_2_FLOW_50G");
        assertThat(new BigDecimal(price.getAmount())).isPositive();
        String balanceAfterPurchase = new BigDecimal(TOP_UP).subtract(new BigDecimal(price.getAmount())).toPlainString();

        TrafficPackagePurchaseRequest purchase = new TrafficPackagePurchaseRequest()
                .type(TrafficPackagePurchaseRequest.TypeEnum.DEVICE_2_FLOW_50G)
                .region(TrafficPackagePurchaseRequest.RegionEnum.GUANGZHOU)
                .deviceIds(List.of(device.getId()))
                .autoRenew(false);
        TrafficPackageQuote quote = packages.purchaseTrafficPackage(purchase, true, null);
        assertThat(quote.getCharge()).isEqualTo(price);
        assertThat(quote.getRefund()).isEqualTo(cny("0.00"));
        assertThat(quote.getBalanceAfter()).isEqualTo(cny(balanceAfterPurchase));
        assertThat(quote.getResult().getStatus().getValue()).isEqualTo("ACTIVE");
        assertThat(quote.getResult().getDeviceIds()).containsExactly(device.getId());
        assertThat(own.getOwnAccount().getBalance()).as("a preview changes nothing").isEqualTo(cny(TOP_UP));

        TrafficPackageView bought = StrictClients.post(customer, "/api/v1/traffic-packages", purchase, 201,
                TrafficPackageView.class);
        assertThat(bought.getStatus().getValue()).isEqualTo("ACTIVE");
        assertThat(bought.getPrice()).isEqualTo(price);
        assertThat(bought.getDeviceIds()).containsExactly(device.getId());
        assertThat(bought.getCapacityBytes()).isEqualTo(offer.getCapacityBytes());
        assertThat(bought.getUsedBytes()).isZero();
        assertThat(own.getOwnAccount().getBalance()).isEqualTo(cny(balanceAfterPurchase));

        // traffic at the package's first instant: inside its validity, and never ahead of the service's clock
        UsageBatchResult usage = new TrafficUsageOperatorApi(operator).ingestTrafficUsage(new UsageBatch()
                .addRecordsItem(new UsageRecordInput()
                        .id("smoke-" + run + "-1")
                        .deviceId(device.getId())
                        .region(UsageRecordInput.RegionEnum.GUANGZHOU)
                        .bytes(GIB)
                        .occurredAt(bought.getValidFrom())), null);
        assertThat(usage.getApplied()).isEqualTo(1);
        assertThat(usage.getDuplicates()).isZero();
        RecordResult record = usage.getResults().get(0);
        assertThat(record.getPackageId()).isEqualTo(bought.getId());
        assertThat(record.getPackageBytes()).isEqualTo(GIB);
        assertThat(record.getPaygBytes()).isZero();

        TrafficPackageView used = packages.getTrafficPackage(bought.getId());
        assertThat(used.getUsedBytes()).isEqualTo(GIB);
        assertThat(used.getRemainingBytes()).isEqualTo(offer.getCapacityBytes() - GIB);

        // one status, two shapes (oneOf): the generated wrapper tells them apart only because unknown members fail
        BigDecimal upgradeDifference = new BigDecimal(listPrice(catalog, "DEVICE_3_FLOW_100G").getAmount())
                .subtract(new BigDecimal(price.getAmount()));
        ChangeTier200Response upgrade = packages.changeTier(bought.getId(), new TierChangeRequest()
                .type(TierChangeRequest.TypeEnum.DEVICE_3_FLOW_100G), true, null);
        assertThat(upgrade.getActualInstance()).isInstanceOf(TrafficPackageQuote.class);
        TrafficPackageQuote upgradeQuote = upgrade.getTrafficPackageQuote();
        assertThat(new BigDecimal(upgradeQuote.getCharge().getAmount())).isPositive().isLessThanOrEqualTo(upgradeDifference);
        assertThat(upgradeQuote.getResult().getType().getValue()).isEqualTo("DEVICE_3_FLOW_100G");
        assertThat(packages.getTrafficPackage(bought.getId()).getType().getValue()).isEqualTo("DEVICE_2_FLOW_50G");

        String month = YearMonth.from(bought.getCreatedAt().atZoneSameInstant(BILLING_ZONE)).toString();
        BillView bill = own.getBill(month);
        assertThat(bill.getMonth()).isEqualTo(month);
        assertThat(bill.getPrepaid()).singleElement().satisfies(entry -> {
            assertThat(entry.getKind().getValue()).isEqualTo("PURCHASE");
            assertThat(entry.getResourceId()).isEqualTo(bought.getId());
            assertThat(entry.getBalanceAfter()).isEqualTo(cny(balanceAfterPurchase));
        });
        assertThat(bill.getTotals().getPrepaid()).isEqualTo(price);
        assertThat(bill.getTotals().getPostpaidDue()).isEqualTo(cny("0.00"));

        // the feed hands out a transaction's events once no older transaction is still running (docs/events.md)
        EventsApi events = new EventsApi(customer);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            List<EventView> feed = events.listEvents(null, 1000, null).getData();
            assertThat(feed).filteredOn(event -> event.getType().equals("traffic_package.purchased"))
                    .singleElement().satisfies(event -> {
                        assertThat(event.getAccountId()).isEqualTo(account.getId());
                        assertThat(event.getResourceId()).isEqualTo(bought.getId());
                        assertThat(event.getData()).asInstanceOf(MAP)
                                .containsEntry("id", bought.getId().toString())
                                .containsEntry("status", "ACTIVE");
                    });
            assertThat(feed).extracting(EventView::getType).contains("credit.created");
        });
    }

    @Test
    void theClientRefusesAMemberTheDocumentDoesNotDeclare() {
        ApiClient client = StrictClients.forKey(baseUrl, operatorKey);
        String device = """
                {"id":"0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b","name":"edge","surprise":true}""";

        assertThatThrownBy(() -> client.getObjectMapper().readValue(device, DeviceView.class))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("surprise");
    }

    private static Type offer(TrafficCatalogView catalog, String type) {
        return catalog.getTypes().stream()
                .filter(offer -> offer.getType().getValue().equals(type))
                .findFirst().orElseThrow(() -> new AssertionError("the catalog offers no " + type));
    }

    /** The GUANGZHOU list price of a type. */
    private static Money listPrice(TrafficCatalogView catalog, String type) {
        return offer(catalog, type).getPrices().stream()
                .filter(regionPrice -> regionPrice.getRegion().getValue().equals("GUANGZHOU"))
                .findFirst().orElseThrow(() -> new AssertionError(type + " has no GUANGZHOU price")).getPrice();
    }

    private static Money cny(String amount) {
        return new Money().amount(amount).currency("CNY");
    }

    private static String required(String property) {
        String value = System.getProperty(property, "");
        assertThat(value).as("system property %s: run .ci/clients, which starts the service and sets it", property)
                .isNotBlank();
        return value;
    }
}
