package io.planbilling.platform.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The web layer's own configuration for the web slices ({@code testing.WebSliceTest}),
 * which scan controllers, advice and filters but no other components: the problem writer
 * the filters use, strict JSON and the body limit's settings.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ ProblemResponses.class, StrictJsonConfiguration.class })
@EnableConfigurationProperties(RequestBodyLimitFilter.HttpSettings.class)
public class WebLayerSlice {

}
