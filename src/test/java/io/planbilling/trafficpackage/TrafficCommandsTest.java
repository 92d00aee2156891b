package io.planbilling.trafficpackage;

import static io.planbilling.testing.ProblemAssert.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.FieldViolation;
import io.planbilling.shared.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules the traffic package commands check on their own, and the fixed regions. */
class TrafficCommandsTest {

    private static final UUID A = UUID.fromString("00000000-0000-4000-8000-00000000000a");

    private static final UUID B = UUID.fromString("00000000-0000-4000-8000-00000000000b");

    @Test
    void aPurchaseBindsDistinctDevicesWithinTheTypesLimit() {
        assertThat(
                new PurchaseCommand(TrafficPackageType.DEVICE_2_FLOW_50G, TrafficRegion.GUANGZHOU, List.of(B, A), false)
                    .deviceIds())
            .containsExactly(B, A);
        assertThat(refusal(() -> new PurchaseCommand(TrafficPackageType.DEVICE_2_FLOW_50G, TrafficRegion.GUANGZHOU,
                List.of(A, B, A), false)))
            .isEqualTo("VALIDATION_FAILED deviceIds: must not repeat device " + A);
        assertThat(refusal(() -> new PurchaseCommand(TrafficPackageType.DEVICE_1_FLOW_20G, TrafficRegion.SILICON_VALLEY,
                List.of(A, B), true)))
            .isEqualTo("DEVICE_LIMIT_EXCEEDED deviceIds: at most 1 device");
        assertThat(refusal(() -> new PurchaseCommand(TrafficPackageType.DEVICE_3_FLOW_100G, TrafficRegion.GUANGZHOU,
                List.of(A, B, UUID.randomUUID(), UUID.randomUUID()), true)))
            .isEqualTo("DEVICE_LIMIT_EXCEEDED deviceIds: at most 3 devices");
    }

    @Test
    void everyTypeTakesUpToItsDeviceLimitAtPurchase() {
        for (TrafficPackageType type : TrafficPackageType.values()) {
            List<UUID> devices = new ArrayList<>();
            for (int i = 0; i < type.maxDevices(); i++) {
                devices.add(UUID.randomUUID());
            }
            assertThat(new PurchaseCommand(type, TrafficRegion.GUANGZHOU, devices, false).deviceIds())
                .hasSize(type.maxDevices());
            devices.add(UUID.randomUUID());
            assertThat(refusal(() -> new PurchaseCommand(type, TrafficRegion.GUANGZHOU, devices, false))).as("%s", type)
                .startsWith("DEVICE_LIMIT_EXCEEDED deviceIds: at most " + type.maxDevices() + " device");
        }
    }

    @Test
    void aBindingNamesAtLeastOneDeviceOnce() {
        assertThat(new BindCommand(List.of(A)).deviceIds()).containsExactly(A);
        assertThat(refusal(() -> new BindCommand(List.of())))
            .isEqualTo("VALIDATION_FAILED deviceIds: must name at least one device");
        assertThat(refusal(() -> new BindCommand(List.of(B, B))))
            .isEqualTo("VALIDATION_FAILED deviceIds: must not repeat device " + B);
    }

    @Test
    void aTierChangeNamesEachDeviceToKeepOnce() {
        assertThat(new TierChangeCommand(TrafficPackageType.DEVICE_1_FLOW_20G, null).keep()).isNull();
        assertThat(new TierChangeCommand(TrafficPackageType.DEVICE_1_FLOW_20G, List.of(A)).keep()).containsExactly(A);
        assertThat(refusal(() -> new TierChangeCommand(TrafficPackageType.DEVICE_1_FLOW_20G, List.of(A, A))))
            .isEqualTo("VALIDATION_FAILED deviceIds: must not repeat device " + A);
    }

    @Test
    void regionsAreParsedByTheirExactNames() {
        assertThat(TrafficRegion.parse("GUANGZHOU")).contains(TrafficRegion.GUANGZHOU);
        assertThat(TrafficRegion.parse("SILICON_VALLEY")).contains(TrafficRegion.SILICON_VALLEY);
        assertThat(TrafficRegion.parse("guangzhou")).isEmpty();
        assertThat(TrafficRegion.parse(null)).isEmpty();
        assertThat(TrafficRegion.of("SILICON_VALLEY", "records[0].region")).isEqualTo(TrafficRegion.SILICON_VALLEY);
        assertThatThrownBy(() -> TrafficRegion.of("MARS", "records[3].region"))
            .isInstanceOfSatisfying(ProblemException.class, ex -> {
                assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
                assertThat(ex.violations()).containsExactly(
                        new FieldViolation("records[3].region", "must be one of GUANGZHOU, SILICON_VALLEY"));
            });
    }

}
