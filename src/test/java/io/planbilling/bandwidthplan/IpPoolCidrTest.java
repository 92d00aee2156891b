package io.planbilling.bandwidthplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpPoolCidrTest {

    @Test
    void aBlockHandsOutItsHostAddresses() {
        IpPool.Cidr block = IpPool.Cidr.parse("198.51.100.0/24");

        assertThat(block.notation()).isEqualTo("198.51.100.0/24");
        assertThat(block.firstHost()).isEqualTo(1);
        assertThat(block.lastHost()).isEqualTo(254);
    }

    @Test
    void theBaseIsNormalisedAndTinyBlocksUseEveryAddress() {
        assertThat(IpPool.Cidr.parse("203.0.113.9/30").notation()).isEqualTo("203.0.113.8/30");
        IpPool.Cidr single = IpPool.Cidr.parse("203.0.113.7/32");
        assertThat(single.firstHost()).isZero();
        assertThat(single.lastHost()).isZero();
        assertThat(IpPool.Cidr.parse("203.0.113.6/31").lastHost()).isEqualTo(1);
    }

    @Test
    void refusesWhatIsNotAnIpv4Block() {
        assertThatThrownBy(() -> IpPool.Cidr.parse("198.51.100.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpPool.Cidr.parse("198.51.100.300/24")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpPool.Cidr.parse("10.0.0.0/15")).isInstanceOf(IllegalArgumentException.class);
        assertThat(IpPool.Cidr.parse("10.1.0.0/16").lastHost()).isEqualTo(65_534);
    }

}
