package io.planbilling.trafficpackage;

/**
 * Why bytes of a usage record were not offset by a package, so went pay-as-you-go or, for
 * a {@code CUT_OFF} device, were blocked (docs/traffic-packages.md, which package).
 */
public enum UnoffsetReason {

    /**
     * No package was bound to the device and live at {@code occurredAt} (none bought,
     * bound later, ended or unsubscribed).
     */
    NO_LIVE_PACKAGE,
    /**
     * The device's live package at {@code occurredAt} is of the other region: packages
     * offset their own region only.
     */
    REGION_MISMATCH,
    /**
     * The package of the record's region (and any successor) had no bytes left for the
     * rest of the record.
     */
    PACKAGE_EXHAUSTED

}
