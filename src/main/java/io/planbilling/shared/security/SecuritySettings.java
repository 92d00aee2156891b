package io.planbilling.shared.security;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param operatorApiKey the operator's bearer key ({@code BILLING_SECURITY_OPERATOR_API_KEY}); when unset, one is
 *                       generated at start-up and logged once
 */
@ConfigurationProperties("billing.security")
record SecuritySettings(@Nullable String operatorApiKey) {
}
