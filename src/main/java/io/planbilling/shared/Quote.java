package io.planbilling.shared;

/**
 * The answer to a {@code ?preview=true} request (docs/api-guide.md): what the real call
 * would charge or refund, the balance it would leave, and the state it would produce.
 * Produced by running the real operation inside {@link Previews#dryRun}, so it is exactly
 * what the real call would do at this moment.
 *
 * @param charge taken from the balance (zero when nothing is)
 * @param refund given back to the balance (zero when nothing is)
 * @param balanceAfter the account's prepaid balance afterwards
 * @param result the resource as it would read afterwards
 */
public record Quote<T>(Money charge, Money refund, Money balanceAfter, T result) {
}
