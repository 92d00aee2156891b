package io.planbilling.bandwidthplan;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.ProblemException;
import java.util.Collection;
import java.util.UUID;

/**
 * Where a bandwidth plan or an office network is: one of the regions the deployment
 * configures ({@code billing.bandwidth.regions}, docs/bandwidth-plans.md). A value read
 * from the API is checked against that list once, by {@link #of(String, Collection)}; a
 * value read back from the database is taken as stored, since it was checked when it was
 * written.
 *
 * @param name the region's configured name, such as {@code cn-shanghai}
 */
record BandwidthRegion(String name) {

    BandwidthRegion {
        if (name.isBlank()) {
            throw new IllegalArgumentException("a region has a name");
        }
    }

    /**
     * The region named {@code value} when it is one of {@code configured}; else 400
     * {@code VALIDATION_FAILED} on the field {@code region}, listing the allowed names.
     */
    static BandwidthRegion of(String value, Collection<String> configured) {
        if (!configured.contains(value)) {
            throw ProblemException.notOneOf("region", configured);
        }
        return new BandwidthRegion(value);
    }

    /**
     * A plan associates only with an office network of its own region: 422
     * {@code REGION_MISMATCH} on {@code officeNetworkId} otherwise.
     */
    void requireSameAs(BandwidthRegion networkRegion, UUID networkId) {
        if (!equals(networkRegion)) {
            throw ProblemException.of(ErrorCode.REGION_MISMATCH, "officeNetworkId",
                    "is in region " + networkRegion + ", not " + this,
                    "Office network " + networkId + " is in " + networkRegion + "; the plan is in " + this + ".");
        }
    }

    @Override
    public String toString() {
        return name;
    }

}
