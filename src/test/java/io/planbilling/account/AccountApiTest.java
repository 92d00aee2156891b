package io.planbilling.account;

import static io.planbilling.testing.ProblemAssert.assertProblem;
import static io.planbilling.testing.TestApi.money;
import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import io.planbilling.testing.TestApi.TestAccount;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@ApiTest
class AccountApiTest {

    @Autowired
    TestApi api;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    java.time.Clock clock;

    @Autowired
    Accounts accounts;

    @Autowired
    io.planbilling.shared.BillingSettings settings;

    private String operator() {
        return api.operator();
    }

    @Test
    void createsAnAccountWithAKeyShownOnce() {
        Response created = api.post("/api/v1/accounts", operator(), Map.of("name", "Acme Networks"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).contains("/api/v1/accounts/" + created.id());
        assertThat(created.text("/name")).isEqualTo("Acme Networks");
        assertThat(created.text("/balance/amount")).isEqualTo("0.00");
        assertThat(created.text("/balance/currency")).isEqualTo("CNY");
        assertThat(created.text("/apiKey")).startsWith("pb_").hasSizeGreaterThan(40);
        assertThat(created.text("/createdAt")).endsWith("Z");

        Response read = api.get("/api/v1/accounts/" + created.id(), operator());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().has("apiKey")).isFalse();
        String storedHash = jdbc.sql("SELECT key_hash FROM account_api_keys WHERE account_id = :id")
            .param("id", created.id())
            .query(String.class)
            .single();
        assertThat(storedHash).isEqualTo(ApiKeys.hash(created.text("/apiKey"))).doesNotContain(created.text("/apiKey"));
    }

    @Test
    void listsAccountsNewestFirstInPages() {
        TestAccount older = api.createAccount("older");
        TestAccount newer = api.createAccount("newer");

        Response page = api.get("/api/v1/accounts?page=0&size=2", operator());

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text("/content/0/id")).isEqualTo(newer.id().toString());
        assertThat(page.text("/content/1/id")).isEqualTo(older.id().toString());
        assertThat(page.body().at("/page/size").asInt()).isEqualTo(2);
        assertThat(page.body().at("/page/number").asInt()).isZero();
        assertThat(page.body().at("/page/totalElements").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(page.body().at("/page/totalPages").asInt()).isGreaterThanOrEqualTo(1);
        assertProblem(api.get("/api/v1/accounts?size=201", operator()), 400, "VALIDATION_FAILED");
        assertProblem(api.get("/api/v1/accounts?page=-1", operator()), 400, "VALIDATION_FAILED");
    }

    @Test
    void creditsTopUpTheBalanceThroughTheLedger() {
        TestAccount account = api.createAccount("credit");

        Response credit = api.post("/api/v1/accounts/" + account.id() + "/credits", operator(),
                Map.of("amount", money("100.50"), "reference", "wire-1"));

        assertThat(credit.status()).isEqualTo(201);
        assertThat(credit.text("/kind")).isEqualTo("CREDIT");
        assertThat(credit.text("/amount/amount")).isEqualTo("100.50");
        assertThat(credit.text("/balanceAfter/amount")).isEqualTo("100.50");
        assertThat(credit.text("/reference")).isEqualTo("wire-1");
        assertThat(api.balance(account)).isEqualTo("100.50");
        assertThat(api.get("/api/v1/accounts/" + account.id(), operator()).text("/balance/amount")).isEqualTo("100.50");
    }

    @Test
    void refusesADuplicateReferenceAndAppliesNothing() {
        TestAccount account = api.createAccount("duplicate");
        api.post("/api/v1/accounts/" + account.id() + "/credits", operator(),
                Map.of("amount", money("10.00"), "reference", "wire-7"));

        Response repeat = api.post("/api/v1/accounts/" + account.id() + "/credits", operator(),
                Map.of("amount", money("10.00"), "reference", "wire-7"));

        assertProblem(repeat, 409, "DUPLICATE_REFERENCE");
        assertThat(api.balance(account)).isEqualTo("10.00");
        TestAccount other = api.createAccount("same reference elsewhere");
        assertThat(api
            .post("/api/v1/accounts/" + other.id() + "/credits", operator(),
                    Map.of("amount", money("10.00"), "reference", "wire-7"))
            .status()).isEqualTo(201);
    }

    @Test
    void rejectsInvalidCredits() {
        TestAccount account = api.createAccount("invalid credits");
        String path = "/api/v1/accounts/" + account.id() + "/credits";

        for (String amount : new String[] { "-1.00", "1.234", "abc", "1e3", "" }) {
            Response refused = assertProblem(
                    api.post(path, operator(), Map.of("amount", money(amount), "reference", "r")), 400,
                    "VALIDATION_FAILED");
            assertThat(refused.text("/errors/0/field")).isEqualTo("amount.amount");
        }
        assertProblem(api.post(path, operator(), Map.of("amount", money("0.00"), "reference", "r")), 400,
                "VALIDATION_FAILED");
        assertProblem(
                api.post(path, operator(),
                        Map.of("amount", Map.of("amount", "1.00", "currency", "USD"), "reference", "r")),
                400, "VALIDATION_FAILED");
        assertProblem(api.post(path, operator(), Map.of("amount", money("1.00"))), 400, "VALIDATION_FAILED");
        assertProblem(api.post(path, operator(), Map.of("amount", money("1.00"), "reference", "r".repeat(129))), 400,
                "VALIDATION_FAILED");
        assertProblem(api.post(path, operator(), Map.of("amount", 12.5, "reference", "r")), 400, "VALIDATION_FAILED");
        assertThat(api.balance(account)).isEqualTo("0.00");
    }

    @Test
    void unknownAccountsAreNotFound() {
        UUID missing = UUID.randomUUID();

        assertProblem(api.get("/api/v1/accounts/" + missing, operator()), 404, "NOT_FOUND");
        assertProblem(api.post("/api/v1/accounts/" + missing + "/credits", operator(),
                Map.of("amount", money("1.00"), "reference", "r")), 404, "NOT_FOUND");
        assertProblem(api.post("/api/v1/accounts/" + missing + "/api-keys", operator(), Map.of()), 404, "NOT_FOUND");
        assertProblem(api.get("/api/v1/accounts/" + missing + "/ledger", operator()), 404, "NOT_FOUND");
    }

    @Test
    void rotationIssuesANewKeyAndRevokesTheOldOne() {
        TestAccount account = api.createAccount("rotation");
        assertThat(api.get("/api/v1/account", account.apiKey()).status()).as("in use, so remembered").isEqualTo(200);

        Response rotated = api.post("/api/v1/accounts/" + account.id() + "/api-keys", operator(), Map.of());

        assertThat(rotated.status()).isEqualTo(201);
        String newKey = rotated.text("/apiKey");
        assertThat(newKey).startsWith("pb_").isNotEqualTo(account.apiKey());
        assertThat(rotated.text("/accountId")).isEqualTo(account.id().toString());
        assertProblem(api.get("/api/v1/account", account.apiKey()), 401, "UNAUTHENTICATED");
        assertThat(api.get("/api/v1/account", newKey).status()).isEqualTo(200);
    }

    @Test
    void theLedgerListsEveryBalanceChangeNewestFirstAndSumsToTheBalance() {
        TestAccount account = api.createAccount("ledger", "10.00");
        api.credit(account.id(), "20.00");
        api.credit(account.id(), "0.05");

        Response ledger = api.get("/api/v1/account/ledger?size=2", account.apiKey());
        Response operatorView = api.get("/api/v1/accounts/" + account.id() + "/ledger", operator());

        assertThat(ledger.status()).isEqualTo(200);
        assertThat(ledger.body().at("/content").size()).isEqualTo(2);
        assertThat(ledger.text("/content/0/amount/amount")).isEqualTo("0.05");
        assertThat(ledger.text("/content/0/balanceAfter/amount")).isEqualTo("30.05");
        assertThat(ledger.text("/content/1/amount/amount")).isEqualTo("20.00");
        assertThat(ledger.body().at("/page/totalElements").asLong()).isEqualTo(3);
        assertThat(ledger.body().at("/page/totalPages").asInt()).isEqualTo(2);
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode entry : operatorView.body().get("content")) {
            sum = sum.add(new BigDecimal(entry.at("/amount/amount").asString()));
        }
        assertThat(sum).isEqualByComparingTo(api.balance(account));
    }

    @Test
    void theAccountReadsItsOwnBalanceOnly() {
        TestAccount mine = api.createAccount("mine", "7.00");
        api.createAccount("theirs", "99.00");

        Response me = api.get("/api/v1/account", mine.apiKey());

        assertThat(me.id()).isEqualTo(mine.id());
        assertThat(me.text("/balance/amount")).isEqualTo("7.00");
    }

    @Test
    void theBillListsTheMonthsPrepaidEntriesWithoutCredits() {
        TestAccount account = api.createAccount("bill", "50.00");
        String month = YearMonth.from(clock.instant().atZone(ZoneId.of("Asia/Shanghai"))).toString();

        Response bill = api.get("/api/v1/bills?month=" + month, account.apiKey());

        assertThat(bill.status()).isEqualTo(200);
        assertThat(bill.text("/month")).isEqualTo(month);
        assertThat(bill.body().get("prepaid").size()).isZero();
        assertThat(bill.body().get("postpaid").size()).isZero();
        assertThat(bill.text("/totals/prepaid/amount")).isEqualTo("0.00");
        assertThat(bill.text("/totals/refunded/amount")).isEqualTo("0.00");
        assertThat(bill.text("/totals/postpaidDue/amount")).isEqualTo("0.00");
    }

    @Test
    void theBillTotalsWhatWasPaidAndRefundedInTheMonth() {
        TestAccount account = api.createAccount("bill totals", "100.00");
        UUID resource = UUID.randomUUID();
        accounts.charge(account.id(), settings.money("30.00"), LedgerKind.PURCHASE, "TRAFFIC_PACKAGE", resource,
                "Traffic package DEVICE_1_FLOW_20G");
        accounts.refund(account.id(), settings.money("5.25"), LedgerKind.REFUND, "TRAFFIC_PACKAGE", resource,
                "Refund of the unused share");
        String month = YearMonth.from(clock.instant().atZone(settings.zone())).toString();

        Response bill = api.get("/api/v1/bills?month=" + month, account.apiKey());

        assertThat(bill.body().get("prepaid").size()).isEqualTo(2);
        assertThat(bill.text("/prepaid/0/kind")).isEqualTo("PURCHASE");
        assertThat(bill.text("/prepaid/0/amount/amount")).isEqualTo("-30.00");
        assertThat(bill.text("/prepaid/0/resourceId")).isEqualTo(resource.toString());
        assertThat(bill.text("/prepaid/1/kind")).isEqualTo("REFUND");
        assertThat(bill.text("/totals/prepaid/amount")).isEqualTo("30.00");
        assertThat(bill.text("/totals/refunded/amount")).isEqualTo("5.25");
        String otherMonth = YearMonth.from(clock.instant().atZone(settings.zone())).minusMonths(1).toString();
        assertThat(api.get("/api/v1/bills?month=" + otherMonth, account.apiKey()).body().get("prepaid").size())
            .isZero();
    }

}
