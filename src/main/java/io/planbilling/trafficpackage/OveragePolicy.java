package io.planbilling.trafficpackage;

/** What happens to a device's traffic that no package covers (SPEC §3 rule 7). */
public enum OveragePolicy {
    /** Billed per GB as a postpaid line. */
    PAY_AS_YOU_GO,
    /** Recorded as blocked and not billed; the gateway is told to stop it. */
    CUT_OFF
}
