package io.planbilling.trafficpackage;

import io.planbilling.shared.ProblemException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where the acceleration gateway that carried the traffic is (docs/traffic-packages.md).
 * The regions are fixed; a request names one by its constant ({@code GUANGZHOU}), matched
 * exactly, and past the request only this type is used.
 */
public enum TrafficRegion {

    GUANGZHOU("Offsets traffic through acceleration gateways in the Chinese mainland (such as Beijing or Shanghai)."),
    SILICON_VALLEY(
            "Offsets traffic through acceleration gateways outside the Chinese mainland (such as Europe or North America).");

    private static final List<TrafficRegion> ALL = List.of(values());

    private final String description;

    TrafficRegion(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /**
     * The region named exactly {@code value} ({@code GUANGZHOU}, {@code SILICON_VALLEY}),
     * or empty for anything else, null included.
     */
    public static Optional<TrafficRegion> parse(@Nullable String value) {
        return Arrays.stream(values()).filter(region -> region.name().equals(value)).findFirst();
    }

    /**
     * The region named {@code value}; else 400 {@code VALIDATION_FAILED} on {@code field}
     * with {@link #allowedValues()}.
     */
    public static TrafficRegion of(@Nullable String value, String field) {
        return parse(value).orElseThrow(() -> ProblemException.invalid(field, allowedValues()));
    }

    /**
     * How a value that is none of the regions is refused, alike for every field:
     * {@code must be one of GUANGZHOU, SILICON_VALLEY}.
     */
    public static String allowedValues() {
        return ProblemException.mustBeOneOf(ALL);
    }

}
