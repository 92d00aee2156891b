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
     * The module map: which modules each module may use. Plan modules stand on account and the kernel; events and
     * lifecycle are fed through the kernel's interfaces ({@code EventWriter}, {@code LifecycleStep}) and account's
     * {@code PostpaidChargeSource}. The one arrow against that grain, events → the plan modules, is the event
     * catalogue of the OpenAPI document reading the plans' views as payload schemas. A new arrow is a change here.
     */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "shared", Set.of(),
            "account", Set.of("shared"),
            "trafficpackage", Set.of("account", "shared"),
            "bandwidthplan", Set.of("account", "shared"),
            "lifecycle", Set.of("shared"),
            "events", Set.of("account", "bandwidthplan", "shared", "trafficpackage"));

    private final ApplicationModules modules = ApplicationModules.of(PlanBillingApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }

    @Test
    void everyModuleDeclaresExactlyTheDependenciesOfTheModuleMap() {
        Map<String, Set<String>> declared = new TreeMap<>();
        modules.stream().filter(module -> !module.isRootModule()).forEach(module -> {
            List<String> dependencies = ApplicationModuleInformation.of(module.getBasePackage()).getDeclaredDependencies();
            assertThat(dependencies)
                    .as("module %s declares its allowedDependencies", module.getIdentifier())
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
