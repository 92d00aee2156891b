package io.planbilling.shared;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code billing.clock.adjustable}: the test clock (docs/operations.md), never on by
 * default.
 */
@ConfigurationProperties("billing.clock")
public record ClockSettings(@DefaultValue("false") boolean adjustable) {
}
