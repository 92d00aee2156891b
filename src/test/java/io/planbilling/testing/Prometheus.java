package io.planbilling.testing;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of {@code /actuator/prometheus} (the Prometheus text format). */
public final class Prometheus {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? (\\S+)",
            Pattern.MULTILINE);

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;

    private Prometheus(String text) {
        this.text = text;
    }

    /** The operator's scrape of the running service. */
    public static Prometheus scrape(TestApi api) {
        TestApi.Response response = api.get("/actuator/prometheus", api.operator());
        if (response.status() != 200) {
            throw new IllegalStateException("scrape refused: " + response);
        }
        return new Prometheus(response.raw());
    }

    /** Whether any sample of the metric exists (with these labels among its own). */
    public boolean has(String name, Map<String, String> labels) {
        return find(name, labels) != null;
    }

    /**
     * The sum of the samples of the metric whose labels include {@code labels}; 0 when
     * there is none.
     */
    public double value(String name, Map<String, String> labels) {
        Double value = find(name, labels);
        return value == null ? 0 : value;
    }

    public double value(String name) {
        return value(name, Map.of());
    }

    private Double find(String name, Map<String, String> labels) {
        Double sum = null;
        Matcher sample = SAMPLE.matcher(text);
        while (sample.find()) {
            if (!sample.group(1).equals(name) || !matches(sample.group(3), labels)) {
                continue;
            }
            sum = (sum == null ? 0 : sum) + Double.parseDouble(sample.group(4));
        }
        return sum;
    }

    private static boolean matches(String labelText, Map<String, String> wanted) {
        if (wanted.isEmpty()) {
            return true;
        }
        if (labelText == null) {
            return false;
        }
        Map<String, String> labels = new java.util.HashMap<>();
        Matcher label = LABEL.matcher(labelText);
        while (label.find()) {
            labels.put(label.group(1), label.group(2));
        }
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    @Override
    public String toString() {
        return text;
    }

}
