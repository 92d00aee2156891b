package io.planbilling.bandwidthplan;

/** A plan's status; the first three are live (it holds an IP and is billed). */
public enum PlanStatus {

    NOT_ASSOCIATED, CHANGING, IN_USE, EXPIRED, UNSUBSCRIBED, DELETED;

    public boolean isLive() {
        return this == NOT_ASSOCIATED || this == CHANGING || this == IN_USE;
    }

}
