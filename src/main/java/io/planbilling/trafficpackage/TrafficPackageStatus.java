package io.planbilling.trafficpackage;

/** docs/traffic-packages.md: {@code ACTIVE} is live; the others are spent or ended. */
public enum TrafficPackageStatus {

    ACTIVE, EXHAUSTED, EXPIRED, UNSUBSCRIBED

}
