package io.planbilling.kafka;

import io.planbilling.bandwidthplan.BandwidthSamples;
import io.planbilling.bandwidthplan.SampleInput;
import io.planbilling.bandwidthplan.SamplesResult;
import io.planbilling.shared.RecordProblem;
import io.planbilling.shared.RecordSource;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * The samples topic ({@code billing.kafka.samples-topic}): one bandwidth sample per
 * message, in the shape of one element of {@code POST /api/v1/bandwidth-samples}'s
 * {@code samples}, keyed by office network id, checked and stored by the bandwidth plan
 * module's samples facade (docs/bandwidth-plans.md). A later sample of a network's minute
 * replaces the earlier one, within a polled batch too (the facade's {@code apply} stores
 * the last).
 */
@Component
@ConditionalOnBooleanProperty("billing.kafka.enabled")
class SamplesTopic implements TopicIngestion<SampleInput> {

    private final BandwidthSamples samples;

    private final String topic;

    SamplesTopic(BandwidthSamples samples, KafkaIngestionSettings settings) {
        this.samples = samples;
        this.topic = settings.samplesTopic();
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public Class<SampleInput> type() {
        return SampleInput.class;
    }

    @Override
    public List<RecordProblem> check(List<SampleInput> records) {
        return samples.check(List.copyOf(records));
    }

    @Override
    public Applied apply(List<SampleInput> records, List<RecordSource> sources) {
        SamplesResult result = samples.apply(records, sources);
        return new Applied(result.inserted(), result.replaced());
    }

}
