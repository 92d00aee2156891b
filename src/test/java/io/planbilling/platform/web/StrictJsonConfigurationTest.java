package io.planbilling.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class StrictJsonConfigurationTest {

    record Line(BigDecimal amount, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal quantity) {
    }

    @Test
    void decimalsAreWrittenPlainAsNumbersAndAsStrings() {
        JsonMapper.Builder builder = JsonMapper.builder();
        new StrictJsonConfiguration().plainDecimals().customize(builder);

        String json = builder.build().writeValueAsString(new Line(new BigDecimal("1E+3"), new BigDecimal("2.79E-9")));

        assertThat(json).isEqualTo("{\"amount\":1000,\"quantity\":\"0.00000000279\"}");
    }

}
