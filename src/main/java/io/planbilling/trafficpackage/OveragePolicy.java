package io.planbilling.trafficpackage;

/**
 * What happens to a device's traffic that no package covers (docs/traffic-packages.md).
 */
enum OveragePolicy {

    /** Billed per GB as a postpaid line. */
    PAY_AS_YOU_GO,
    /** Recorded as blocked and not billed; the gateway is told to stop it. */
    CUT_OFF

}
