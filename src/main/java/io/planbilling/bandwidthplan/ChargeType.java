package io.planbilling.bandwidthplan;

/** What a pay-as-you-go plan is billed on. */
public enum ChargeType {

    /**
     * Every hour at the highest peak in force in it, whatever is used; peak 2–1000 Mbps.
     */
    PAY_BY_BANDWIDTH(1000),
    /** Inbound bytes only, outbound is free; peak 2–200 Mbps. */
    PAY_BY_TRAFFIC(200);

    private final int maxPeakMbps;

    ChargeType(int maxPeakMbps) {
        this.maxPeakMbps = maxPeakMbps;
    }

    public int maxPeakMbps() {
        return maxPeakMbps;
    }

}
