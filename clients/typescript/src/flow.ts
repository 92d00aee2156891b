// The console's first flow through the typed client: the operator creates an account and tops it up; the account
// creates a device, reads the catalog, previews and buys a package; the operator posts the device's usage; the
// account reads the package, its bill and its event feed. Types come from the service's own OpenAPI document
// (generated/billing.ts, written by openapi-typescript in .ci/clients), so a renamed member, a changed type or a
// removed operation fails `tsc` here; running it (node dist/src/flow.js with BILLING_URL and BILLING_OPERATOR_KEY)
// checks the answers too.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import createClient, { type Client } from "openapi-fetch";
import type { components, operations, paths } from "../generated/billing.js";

type Schemas = components["schemas"];
type Money = Schemas["Money"];
type Purchase = NonNullable<operations["purchaseTrafficPackage"]["requestBody"]>["content"]["application/json"];
type Quote = operations["purchaseTrafficPackage"]["responses"][200]["content"]["application/json"];
type TrafficPackage = operations["purchaseTrafficPackage"]["responses"][201]["content"]["application/json"];
type BillingClient = Client<paths>;

const BILLING_ZONE = "Asia/Shanghai"; // billing.zone's default (docs/)
const GIB = 2 ** 30;
const TOP_UP = "100.00";

/** A client whose every call carries `apiKey` as its bearer key. */
export function billingClient(baseUrl: string, apiKey: string): BillingClient {
    return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
}

/** The body of a successful answer with the expected status, or an error naming the status and the problem. */
function expect<T>(answer: { data?: T; error?: unknown; response: Response }, status: number): T {
    if (answer.response.status !== status || answer.data === undefined) {
        throw new Error(`${answer.response.url} answered ${answer.response.status} (expected ${status}): `
            + JSON.stringify(answer.error ?? answer.data));
    }
    return answer.data;
}

/** One operation answers a preview's quote (200) or the package bought (201); the status tells which. */
function isPackage(answer: Quote | TrafficPackage): answer is TrafficPackage {
    return "id" in answer;
}

function cny(amount: string): Money {
    return { amount, currency: "CNY" };
}

/** YYYY-MM of an instant in the billing zone. */
function billingMonth(instant: string): string {
    const parts = new Intl.DateTimeFormat("en-CA", { timeZone: BILLING_ZONE, year: "numeric", month: "2-digit" })
        .formatToParts(new Date(instant));
    const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value;
    return `${part("year")}-${part("month")}`;
}

/** Subtracts two money amounts exactly, in cents (both have two decimals in this API). */
function minus(a: string, b: string): string {
    const cents = (amount: string) => BigInt(amount.replace(".", ""));
    const difference = cents(a) - cents(b);
    const sign = difference < 0n ? "-" : "";
    const digits = (difference < 0n ? -difference : difference).toString().padStart(3, "0");
    return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

export async function consoleFlow(baseUrl: string, operatorKey: string): Promise<void> {
    const run = randomUUID();
    const operator = billingClient(baseUrl, operatorKey);

    const account = expect(await operator.POST("/api/v1/accounts", { body: { name: `Smoke ${run}` } }), 201);
    assert.deepEqual(account.balance, cny("0.00"));

    const credit = expect(await operator.POST("/api/v1/accounts/{id}/credits", {
        params: { path: { id: account.id }, header: { "Idempotency-Key": `smoke-credit-${run}` } },
        body: { amount: { amount: TOP_UP, currency: "CNY" }, reference: `smoke-${run}` },
    }), 201);
    assert.equal(credit.kind, "CREDIT");
    assert.deepEqual(credit.balanceAfter, cny(TOP_UP));

    const customer = billingClient(baseUrl, account.apiKey);
    const device = expect(await customer.POST("/api/v1/devices", { body: { name: "edge-smoke-01" } }), 201);
    assert.equal(device.packageId, null);

    const catalog = expect(await customer.GET("/api/v1/traffic-packages/catalog"), 200);
    const offer = catalog.types.find((type) => type.type === "DEVICE_2_FLOW_50G");
    assert.ok(offer, "the catalog offers DEVICE_2_FLOW_50G");
    const price = offer.prices.find((regionPrice) => regionPrice.region === "GUANGZHOU")?.price;
    assert.ok(price, "DEVICE_2_FLOW_50G has a GUANGZHOU price");
    const balanceAfterPurchase = minus(TOP_UP, price.amount);

    const purchase: Purchase = {
        type: "DEVICE_2_FLOW_50G", region: "GUANGZHOU", deviceIds: [device.id], autoRenew: false,
    };
    const preview = expect(await customer.POST("/api/v1/traffic-packages", {
        params: { query: { preview: true } }, body: purchase,
    }), 200);
    assert.ok(!isPackage(preview), "a preview answers a quote");
    assert.deepEqual(preview.charge, price);
    assert.deepEqual(preview.balanceAfter, cny(balanceAfterPurchase));
    assert.equal(preview.result.status, "ACTIVE");

    const answer = expect(await customer.POST("/api/v1/traffic-packages", { body: purchase }), 201);
    assert.ok(isPackage(answer), "a purchase answers the package");
    const bought: TrafficPackage = answer;
    assert.equal(bought.status, "ACTIVE");
    assert.deepEqual(bought.price, price);
    assert.deepEqual(bought.deviceIds, [device.id]);
    assert.deepEqual(expect(await customer.GET("/api/v1/account"), 200).balance, cny(balanceAfterPurchase));

    const usage = expect(await operator.POST("/api/v1/traffic-usage", {
        body: {
            records: [{
                id: `smoke-${run}-1`, deviceId: device.id, region: "GUANGZHOU", bytes: GIB,
                occurredAt: bought.validFrom, // inside the package's validity, never ahead of the service's clock
            }],
        },
    }), 200);
    assert.equal(usage.applied, 1);
    assert.equal(usage.results[0]?.packageId, bought.id);

    const used = expect(await customer.GET("/api/v1/traffic-packages/{id}", {
        params: { path: { id: bought.id } },
    }), 200);
    assert.equal(used.usedBytes, GIB);
    assert.equal(used.remainingBytes, offer.capacityBytes - GIB);

    const month = billingMonth(bought.createdAt);
    const bill = expect(await customer.GET("/api/v1/bills", { params: { query: { month } } }), 200);
    assert.equal(bill.month, month);
    assert.deepEqual(bill.prepaid.map((entry) => [entry.kind, entry.resourceId]), [["PURCHASE", bought.id]]);
    assert.deepEqual(bill.totals.prepaid, price);

    // the feed hands out a transaction's events once no older transaction is still running (docs/events.md)
    const deadline = Date.now() + 30_000;
    for (;;) {
        const feed = expect(await customer.GET("/api/v1/events", { params: { query: { limit: 1000 } } }), 200);
        const purchased = feed.data.find((event) => event.type === "traffic_package.purchased");
        if (purchased) {
            assert.equal(purchased.resourceId, bought.id);
            assert.equal(purchased.data["id"], bought.id);
            break;
        }
        assert.ok(Date.now() < deadline, "traffic_package.purchased in the feed within 30 s");
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
}

const baseUrl = process.env["BILLING_URL"];
const operatorKey = process.env["BILLING_OPERATOR_KEY"];
if (!baseUrl || !operatorKey) {
    throw new Error("set BILLING_URL and BILLING_OPERATOR_KEY (.ci/clients does)");
}
await consoleFlow(baseUrl, operatorKey);
console.log("typescript client: console flow passed");
