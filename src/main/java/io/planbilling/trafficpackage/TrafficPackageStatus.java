package io.planbilling.trafficpackage;

/** SPEC §3: {@code ACTIVE} is live; the others are spent or ended. */
public enum TrafficPackageStatus {
    ACTIVE, EXHAUSTED, EXPIRED, UNSUBSCRIBED
}
