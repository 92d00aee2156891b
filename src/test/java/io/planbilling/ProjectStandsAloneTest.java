package io.planbilling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A clone of the repository is all a reader has: the README, the docs and the code cite
 * the project's own docs, never a contract or ticket that lives elsewhere. Migrations
 * already applied keep their text (Flyway checksums them).
 */
class ProjectStandsAloneTest {

    /** An outside link, a section of an outside specification, or a ticket number. */
    private static final Pattern OUTSIDE = Pattern
        .compile("\\.\\./" + "shared|" + "SP" + "EC( ?§| section)|§ ?[0-9]|[Ii]" + "ssue [0-9]+");

    /**
     * Applied before the project's docs existed; editing them would change their Flyway
     * checksums.
     */
    private static final Set<String> APPLIED_MIGRATIONS = Set.of("V1", "V2", "V3", "V10", "V11", "V20", "V30", "V40",
            "V41");

    @Test
    void noFileCitesAnythingOutsideTheRepository() throws IOException {
        List<String> hits = new ArrayList<>();

        for (Path root : List.of(Path.of("README.md"), Path.of("docs"), Path.of("src"), Path.of("clients"),
                Path.of(".ci"), Path.of("bench"))) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile)
                    .filter(ProjectStandsAloneTest::isOurText)
                    .toList()) {
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        if (OUTSIDE.matcher(lines.get(i)).find()) {
                            hits.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }

        assertThat(hits).as("cite docs/… instead").isEmpty();
    }

    private static boolean isOurText(Path file) {
        String path = file.toString().replace('\\', '/');
        String name = file.getFileName().toString();
        if (path.contains("/node_modules/") || path.contains("/target/") || path.contains("/generated/")) {
            return false;
        }
        if (path.contains("db/migration/") && APPLIED_MIGRATIONS.contains(name.substring(0, name.indexOf("__")))) {
            return false;
        }
        return name.endsWith(".java") || name.endsWith(".md") || name.endsWith(".sql") || name.endsWith(".yml")
                || name.endsWith(".yaml") || name.endsWith(".ts") || name.endsWith(".sh") || name.endsWith(".xml")
                || !name.contains(".");
    }

}
