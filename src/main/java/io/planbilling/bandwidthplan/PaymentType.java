package io.planbilling.bandwidthplan;

/** How a plan is paid: before use for a term, or after use. */
public enum PaymentType {

    SUBSCRIPTION, PAY_AS_YOU_GO

}
