package io.planbilling.trafficpackage;

import io.planbilling.shared.Money;
import java.util.List;

/**
 * What can be bought (docs/traffic-packages.md): every type with its prices per region,
 * and what each region covers.
 */
record TrafficCatalogView(List<Type> types, List<Region> regions) {

    public record Type(TrafficPackageType type, long capacityBytes, int maxDevices, List<RegionPrice> prices) {
    }

    public record RegionPrice(TrafficRegion region, Money price) {
    }

    /**
     * @param paygPerGb what traffic that no package covers costs in this region, per GB
     * (1024³ bytes)
     */
    public record Region(TrafficRegion region, String description, Money paygPerGb) {
    }
}
