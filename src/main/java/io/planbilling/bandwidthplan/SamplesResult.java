package io.planbilling.bandwidthplan;

/**
 * What a sample batch did.
 *
 * @param accepted every sample of the batch
 * @param inserted minutes seen for the first time
 * @param replaced minutes that already had a sample, now replaced
 */
public record SamplesResult(int accepted, int inserted, int replaced) {
}
