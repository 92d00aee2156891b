package io.planbilling.trafficpackage;

/**
 * The provider's package types (docs/traffic-packages.md): capacity in bytes (1 GB =
 * 1024³ bytes) and device limit.
 */
public enum TrafficPackageType {

    DEVICE_1_FLOW_20G(20, 1), DEVICE_2_FLOW_50G(50, 2), DEVICE_3_FLOW_100G(100, 3), DEVICE_5_FLOW_500G(500, 5);

    /**
     * Bytes in one GB, as the API and the bill count them (docs/accounts-and-money.md).
     */
    public static final long GB = 1024L * 1024 * 1024;

    private final long capacityBytes;

    private final int maxDevices;

    TrafficPackageType(long gigabytes, int maxDevices) {
        this.capacityBytes = gigabytes * GB;
        this.maxDevices = maxDevices;
    }

    public long capacityBytes() {
        return capacityBytes;
    }

    public int maxDevices() {
        return maxDevices;
    }

    /** Larger means more capacity (and never fewer devices). */
    public boolean isLargerThan(TrafficPackageType other) {
        return capacityBytes > other.capacityBytes;
    }

}
