package io.planbilling.kafka;

import io.planbilling.bandwidthplan.BandwidthSamples;
import io.planbilling.bandwidthplan.SampleInput;
import io.planbilling.bandwidthplan.SamplesResult;
import io.planbilling.shared.RecordSource;
import io.planbilling.shared.Screened;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * The samples topic ({@code billing.kafka.samples-topic}): one bandwidth sample per
 * message, in the shape of one element of {@code POST /api/v1/bandwidth-samples}'s
 * {@code samples}, keyed by office network id, stored by the bandwidth plan module's
 * samples facade (docs/bandwidth-plans.md). A later sample of a network's minute replaces
 * the earlier one, within a polled batch too (the facade's {@code applyValid} stores the
 * last).
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
    public Screened<Applied> applyValid(List<SampleInput> records, List<RecordSource> sources) {
        Screened<SamplesResult> result = samples.applyValid(List.copyOf(records), sources);
        return new Screened<>(new Applied(result.applied().inserted(), result.applied().replaced()), result.problems());
    }

}
