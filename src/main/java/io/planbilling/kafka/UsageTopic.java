package io.planbilling.kafka;

import io.planbilling.shared.RecordSource;
import io.planbilling.shared.Screened;
import io.planbilling.trafficpackage.TrafficUsage;
import io.planbilling.trafficpackage.UsageBatchResult;
import io.planbilling.trafficpackage.UsageRecordInput;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * The usage topic ({@code billing.kafka.usage-topic}): one usage record per message, in
 * the shape of one element of {@code POST /api/v1/traffic-usage}'s {@code records}, keyed
 * by device id, applied by the traffic package module's usage facade
 * (docs/traffic-packages.md, usage ingestion). A record id seen before, through Kafka or
 * HTTP, is a duplicate.
 */
@Component
@ConditionalOnBooleanProperty("billing.kafka.enabled")
class UsageTopic implements TopicIngestion<UsageRecordInput> {

    private final TrafficUsage usage;

    private final String topic;

    UsageTopic(TrafficUsage usage, KafkaIngestionSettings settings) {
        this.usage = usage;
        this.topic = settings.usageTopic();
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public Class<UsageRecordInput> type() {
        return UsageRecordInput.class;
    }

    @Override
    public Screened<Applied> applyValid(List<UsageRecordInput> records, List<RecordSource> sources) {
        Screened<UsageBatchResult> result = usage.applyValid(List.copyOf(records), sources);
        return new Screened<>(new Applied(result.applied().applied(), result.applied().duplicates()),
                result.problems());
    }

}
