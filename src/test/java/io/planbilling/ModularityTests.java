package io.planbilling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.ApplicationModule;
import org.springframework.modulith.core.ApplicationModuleInformation;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

class ModularityTests {

    /**
     * The module map: which modules each module may use. Plan modules stand on account
     * and the kernel ({@code shared}); events and lifecycle are fed through the kernel's
     * interfaces ({@code EventWriter}, {@code LifecycleStep}) and account's
     * {@code PostpaidChargeSource}. The one arrow against that grain, events → the plan
     * modules, is the event catalogue of the OpenAPI document reading the plans' views as
     * payload schemas. Kafka ingestion ({@code kafka}) feeds the plan modules' ingestion
     * facades from topics, as their HTTP controllers do. The platform modules
     * ({@code io.planbilling.platform.*}, nested in {@code platform}, which holds no
     * types) stand on the kernel and on {@code platform.web}'s problem responses; no
     * business module uses them. A new arrow is a change here.
     */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(Map.entry("shared", Set.of()),
            Map.entry("account", Set.of("shared")), Map.entry("trafficpackage", Set.of("account", "shared")),
            Map.entry("bandwidthplan", Set.of("account", "shared")), Map.entry("lifecycle", Set.of("shared")),
            Map.entry("events", Set.of("account", "bandwidthplan", "shared", "trafficpackage")),
            Map.entry("kafka", Set.of("bandwidthplan", "shared", "trafficpackage")), Map.entry("platform", Set.of()),
            Map.entry("platform.web", Set.of("shared")),
            Map.entry("platform.security", Set.of("shared", "platform.web")),
            Map.entry("platform.idempotency", Set.of("shared", "platform.web")),
            Map.entry("platform.ratelimit", Set.of("shared", "platform.web")),
            Map.entry("platform.openapi", Set.of("shared")), Map.entry("platform.db", Set.of()),
            Map.entry("platform.audit", Set.of("shared")), Map.entry("platform.time", Set.of("shared")));

    private final ApplicationModules modules = ApplicationModules.of(PlanBillingApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }

    @Test
    void everyModuleDeclaresExactlyTheDependenciesOfTheModuleMap() {
        Map<String, Set<String>> declared = new TreeMap<>();
        modules.stream().filter(module -> !module.isRootModule()).forEach(module -> {
            List<String> dependencies = ApplicationModuleInformation.of(module.getBasePackage())
                .getDeclaredDependencies();
            assertThat(dependencies).as("module %s declares its allowedDependencies", module.getIdentifier())
                .doesNotContain(ApplicationModule.OPEN_TOKEN);
            declared.put(module.getIdentifier().toString(), new TreeSet<>(dependencies));
        });

        assertThat(declared).isEqualTo(new TreeMap<>(ALLOWED));
    }

    @Test
    void writesModuleDocumentation() {
        new Documenter(modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
    }

}
