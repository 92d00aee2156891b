package io.planbilling.kafka;

import io.planbilling.bandwidthplan.BandwidthSamples;
import io.planbilling.bandwidthplan.SampleInput;
import io.planbilling.bandwidthplan.SamplesResult;
import io.planbilling.shared.RecordProblem;
import io.planbilling.shared.RecordSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * The samples topic ({@code billing.kafka.samples-topic}): one bandwidth sample per
 * message, in the shape of one element of {@code POST /api/v1/bandwidth-samples}'s
 * {@code samples}, keyed by office network id, checked and stored by the bandwidth plan
 * module's samples facade (docs/bandwidth-plans.md). A later sample of a network's minute
 * replaces the earlier one, as across HTTP batches; within one polled batch the later
 * message wins before anything is stored (an HTTP batch may not repeat a minute, a topic
 * may).
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

    @Override
    public Set<Integer> superseded(List<SampleInput> records) {
        Map<String, Integer> last = new HashMap<>();
        Set<Integer> superseded = new HashSet<>();
        for (int i = 0; i < records.size(); i++) {
            SampleInput sample = records.get(i);
            if (sample.officeNetworkId() == null || sample.minute() == null) {
                continue;
            }
            Integer earlier = last.put(sample.officeNetworkId() + "@" + sample.minute(), i);
            if (earlier != null) {
                superseded.add(earlier);
            }
        }
        return superseded;
    }

}
