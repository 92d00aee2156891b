package io.planbilling.bandwidthplan;

/** The product-rule error codes of the bandwidth plan module (SPEC §4). */
public final class BandwidthErrors {

    public static final String REGION_MISMATCH = "REGION_MISMATCH";
    public static final String AUTO_RENEW_NOT_ALLOWED = "AUTO_RENEW_NOT_ALLOWED";
    public static final String PARAMETER_NOT_ALLOWED = "PARAMETER_NOT_ALLOWED";
    public static final String IP_POOL_EXHAUSTED = "IP_POOL_EXHAUSTED";
    public static final String PLAN_ALREADY_ASSOCIATED = "PLAN_ALREADY_ASSOCIATED";
    public static final String NETWORK_ALREADY_ASSOCIATED = "NETWORK_ALREADY_ASSOCIATED";
    public static final String PLAN_NOT_ASSOCIATED = "PLAN_NOT_ASSOCIATED";
    public static final String RULE_EXCEEDS_PEAK = "RULE_EXCEEDS_PEAK";
    public static final String LIMIT_EXCEEDS_PEAK = "LIMIT_EXCEEDS_PEAK";
    public static final String PHONE_NOT_IN_NETWORK = "PHONE_NOT_IN_NETWORK";
    public static final String PHONE_ALREADY_LIMITED = "PHONE_ALREADY_LIMITED";
    public static final String RULE_NAME_TAKEN = "RULE_NAME_TAKEN";
    public static final String NOT_A_SUBSCRIPTION = "NOT_A_SUBSCRIPTION";
    public static final String NOT_PAY_AS_YOU_GO = "NOT_PAY_AS_YOU_GO";
    public static final String PLAN_EXPIRED = "PLAN_EXPIRED";
    public static final String PLAN_ENDED = "PLAN_ENDED";
    public static final String PLAN_ASSOCIATED = "PLAN_ASSOCIATED";
    public static final String UNKNOWN_OFFICE_NETWORK = "UNKNOWN_OFFICE_NETWORK";

    private BandwidthErrors() {
    }
}
