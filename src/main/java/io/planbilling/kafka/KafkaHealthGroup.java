package io.planbilling.kafka;

import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.stereotype.Component;

/**
 * Keeps the Kafka consumer's health ({@link KafkaConsumerHealth}) out of
 * {@code /actuator/health}, which load balancers and the tests' start-up checks ask: it
 * is shown in its own group, {@code /actuator/health/kafka}
 * ({@code management.endpoint.health.group.kafka}, application.yml), and nowhere else.
 * Spring Boot puts every contributor into the main report; its documented extension point
 * for changing the groups is this post-processor.
 */
@Component
class KafkaHealthGroup implements HealthEndpointGroupsPostProcessor {

    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        HealthEndpointGroup primary = groups.getPrimary();
        HealthEndpointGroup withoutKafka = new HealthEndpointGroup() {

            @Override
            public boolean isMember(String name) {
                return !KafkaConsumerHealth.COMPONENT.equals(name) && primary.isMember(name);
            }

            @Override
            public boolean showComponents(SecurityContext securityContext) {
                return primary.showComponents(securityContext);
            }

            @Override
            public boolean showDetails(SecurityContext securityContext) {
                return primary.showDetails(securityContext);
            }

            @Override
            public StatusAggregator getStatusAggregator() {
                return primary.getStatusAggregator();
            }

            @Override
            public HttpCodeStatusMapper getHttpCodeStatusMapper() {
                return primary.getHttpCodeStatusMapper();
            }

            @Override
            public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
                return primary.getAdditionalPath();
            }

        };
        return new HealthEndpointGroups() {

            @Override
            public HealthEndpointGroup getPrimary() {
                return withoutKafka;
            }

            @Override
            public Set<String> getNames() {
                return groups.getNames();
            }

            @Override
            public @Nullable HealthEndpointGroup get(String name) {
                return groups.get(name);
            }

        };
    }

}
