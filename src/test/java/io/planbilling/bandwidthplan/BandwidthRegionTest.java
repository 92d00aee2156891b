package io.planbilling.bandwidthplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.FieldViolation;
import io.planbilling.shared.ProblemException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BandwidthRegionTest {

    private static final BandwidthSettings SETTINGS = new BandwidthSettings(List.of("cn-hangzhou", "cn-shanghai"),
            "198.51.100.0/24", Duration.ofSeconds(1), Duration.ofMinutes(5));

    @Test
    void aConfiguredRegionIsAccepted() {
        assertThat(SETTINGS.region("cn-shanghai")).isEqualTo(new BandwidthRegion("cn-shanghai"));
        assertThat(SETTINGS.region("cn-shanghai")).hasToString("cn-shanghai");
    }

    @Test
    void anyOtherIsRefusedListingTheConfiguredOnes() {
        assertThatThrownBy(() -> SETTINGS.region("mars-1")).isInstanceOfSatisfying(ProblemException.class, ex -> {
            assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
            assertThat(ex.violations())
                .containsExactly(new FieldViolation("region", "must be one of cn-hangzhou, cn-shanghai"));
        });
        // configured names are matched exactly
        assertThatThrownBy(() -> SETTINGS.region("CN-SHANGHAI")).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> new BandwidthRegion(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPlanTakesOnlyANetworkOfItsOwnRegion() {
        BandwidthRegion shanghai = new BandwidthRegion("cn-shanghai");
        UUID network = UUID.randomUUID();

        shanghai.requireSameAs(new BandwidthRegion("cn-shanghai"), network);
        assertThatThrownBy(() -> shanghai.requireSameAs(new BandwidthRegion("cn-hangzhou"), network))
            .isInstanceOfSatisfying(ProblemException.class, ex -> {
                assertThat(ex.code()).isEqualTo(ErrorCode.REGION_MISMATCH);
                assertThat(ex.violations()).containsExactly(
                        new FieldViolation("officeNetworkId", "is in region cn-hangzhou, not cn-shanghai"));
            });
    }

}
