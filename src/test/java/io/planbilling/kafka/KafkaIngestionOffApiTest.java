package io.planbilling.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.planbilling.testing.ApiTest;
import io.planbilling.testing.TestApi;
import io.planbilling.testing.TestApi.Response;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Kafka ingestion is off by default (docs/kafka-ingestion.md): no consumer runs, and the
 * consumer's health group answers {@code UNKNOWN} (200), and the consumer's health is a
 * member of that group only, never of the main report or the probes.
 */
@ApiTest
class KafkaIngestionOffApiTest {

    @Autowired
    TestApi api;

    @Autowired
    ApplicationContext context;

    @Autowired
    HealthEndpointGroups groups;

    @Test
    void offByDefaultNoConsumerAndTheHealthGroupSaysSo() {
        assertThat(context.getBeansOfType(MessageListenerContainer.class)).isEmpty();
        assertThat(context.getBeansOfType(ConsumerLag.class)).isEmpty();

        Response kafka = api.get("/actuator/health/kafka", api.operator());
        assertThat(kafka.status()).isEqualTo(200);
        assertThat(kafka.text("/status")).isEqualTo("UNKNOWN");
        assertThat(kafka.raw()).contains("\"enabled\":false");
        // a member of its own group only: not of the main report, liveness or readiness
        assertThat(groups.get("kafka").isMember(KafkaConsumerHealth.COMPONENT)).isTrue();
        assertThat(groups.getPrimary().isMember(KafkaConsumerHealth.COMPONENT)).isFalse();
        assertThat(groups.getPrimary().isMember("db")).isTrue();
        assertThat(groups.get("liveness").isMember(KafkaConsumerHealth.COMPONENT)).isFalse();
        assertThat(groups.get("readiness").isMember(KafkaConsumerHealth.COMPONENT)).isFalse();
    }

}
