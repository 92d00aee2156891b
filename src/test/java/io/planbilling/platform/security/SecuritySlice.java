package io.planbilling.platform.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The service's real security rules for the web slices ({@code testing.WebSliceTest}):
 * the bearer-key filter chain, the operator key and the throttle's settings; account keys
 * are resolved by the slice's stub.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ SecurityConfiguration.class, ApiKeyAuthenticationProvider.class, OperatorKey.class })
@EnableConfigurationProperties(SecuritySettings.class)
public class SecuritySlice {

}
