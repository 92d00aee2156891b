package io.planbilling.trafficpackage;

/**
 * The example documents the OpenAPI document shows for the traffic package and device
 * endpoints, kept apart from the controllers so that each controller reads as its
 * operations. Responses are validated against the schema, not against these examples;
 * they follow the views' shapes by hand.
 */
final class TrafficExamples {

    static final String PACKAGE_EXAMPLE = """
            {"id": "6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f", "type": "DEVICE_2_FLOW_50G", "region": "GUANGZHOU",
             "status": "ACTIVE", "capacityBytes": 53687091200, "usedBytes": 1073741824, "remainingBytes": 52613349376,
             "maxDevices": 2, "deviceIds": ["0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b"], "autoRenew": true,
             "price": {"amount": "70.00", "currency": "CNY"}, "validFrom": "2026-01-31T02:00:00Z",
             "validUntil": "2026-02-28T02:00:00Z", "pendingChange": null, "renewalFailure": null,
             "predecessorId": null, "successorId": null, "createdAt": "2026-01-31T02:00:00Z",
             "thresholdsReached": []}""";

    static final String QUOTE_EXAMPLE = """
            {"charge": {"amount": "70.00", "currency": "CNY"}, "refund": {"amount": "0.00", "currency": "CNY"},
             "balanceAfter": {"amount": "30.00", "currency": "CNY"},
             "result": """ + PACKAGE_EXAMPLE + "}";

    static final String UNSUBSCRIBED_EXAMPLE = """
            {"charge": {"amount": "0.00", "currency": "CNY"}, "refund": {"amount": "68.60", "currency": "CNY"},
             "balanceAfter": {"amount": "98.60", "currency": "CNY"},
             "result": {"id": "6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f", "type": "DEVICE_2_FLOW_50G", "region": "GUANGZHOU",
                        "status": "UNSUBSCRIBED", "capacityBytes": 53687091200, "usedBytes": 1073741824,
                        "remainingBytes": 52613349376, "maxDevices": 2, "deviceIds": [], "autoRenew": false,
                        "price": {"amount": "70.00", "currency": "CNY"}, "validFrom": "2026-01-31T02:00:00Z",
                        "validUntil": "2026-02-28T02:00:00Z", "pendingChange": null, "renewalFailure": null,
                        "predecessorId": null, "successorId": null, "createdAt": "2026-01-31T02:00:00Z"}}""";

    static final String CATALOG_EXAMPLE = """
            {"types": [{"type": "DEVICE_1_FLOW_20G", "capacityBytes": 21474836480, "maxDevices": 1,
                        "prices": [{"region": "GUANGZHOU", "price": {"amount": "30.00", "currency": "CNY"}},
                                   {"region": "SILICON_VALLEY", "price": {"amount": "40.00", "currency": "CNY"}}]}],
             "regions": [{"region": "GUANGZHOU",
                          "description": "Offsets traffic through acceleration gateways in the Chinese mainland (such as Beijing or Shanghai).",
                          "paygPerGb": {"amount": "1.20", "currency": "CNY"}}]}""";

    static final String DEVICE_EXAMPLE = """
            {"id": "0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b", "name": "edge-router-07", "overagePolicy": "PAY_AS_YOU_GO",
             "payMode": "PACKAGE", "packageId": "6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f", "createdAt": "2026-11-22T08:30:00Z"}""";

    static final String DEVICE_PAGE_EXAMPLE = """
            {"content": [{"id": "0b7e3c1a-2f4d-4e5f-8a9b-1c2d3e4f5a6b", "name": "edge-router-07",
                          "overagePolicy": "CUT_OFF", "payMode": "PAY_AS_YOU_GO", "packageId": null,
                          "createdAt": "2026-11-22T08:30:00Z"}],
             "page": {"number": 0, "size": 20, "totalElements": 1, "totalPages": 1}}""";

    private TrafficExamples() {
    }

}
