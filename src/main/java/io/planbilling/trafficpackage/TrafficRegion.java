package io.planbilling.trafficpackage;

/**
 * Where the acceleration gateway that carried the traffic is (docs/traffic-packages.md).
 */
public enum TrafficRegion {

    GUANGZHOU("Offsets traffic through acceleration gateways in the Chinese mainland (such as Beijing or Shanghai)."),
    SILICON_VALLEY(
            "Offsets traffic through acceleration gateways outside the Chinese mainland (such as Europe or North America).");

    private final String description;

    TrafficRegion(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

}
