package io.planbilling.platform.openapi;

import io.planbilling.shared.ErrorCode;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.core.converter.ModelConverter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI 3.0 document: the bearer scheme (Swagger UI's "Authorize"), the
 * problem-details schema, every error status each operation can answer (see
 * {@link ProblemDocumentation}) with examples from the {@link ErrorCode} catalogue, the
 * {@code Idempotency-Key} header on every POST, and {@code required}/{@code nullable}
 * derived from the Java types ({@link NullabilityModelConverter}).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String BEARER = "bearerAuth";

    static {
        // a free-form JSON value (an event's data) is an object in the document, not the
        // JsonNode class's getters
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new ObjectSchema());
    }

    @Bean
    OpenAPI billingOpenApi() {
        return new OpenAPI().info(new Info().title("plan-billing API").version("v1").description("""
                Sells, binds, meters, renews and refunds cloud network plans: traffic packages and \
                bandwidth plans. Authenticate with `Authorization: Bearer <api key>`; the operator key \
                manages accounts and posts usage, an account key calls everything else for its account."""))
            .components(new Components()
                .addSecuritySchemes(BEARER,
                        new SecurityScheme().type(SecurityScheme.Type.HTTP)
                            .scheme("bearer")
                            .description("An operator key or an account API key"))
                .addSchemas(ProblemSchema.NAME, ProblemSchema.schema()))
            .addSecurityItem(new SecurityRequirement().addList(BEARER))
            // relative: the origin (and its TLS) that served this document, never a
            // guessed http:// URL
            .addServersItem(new Server().url("/")
                .description("The deployment that served this document")
                .extensions(new LinkedHashMap<>(Map.of("x-internal", false))));
    }

    /** See {@link EnforcedBounds}. */
    @Bean
    OpenApiCustomizer enforcedBounds() {
        return new EnforcedBounds();
    }

    /**
     * The truth about {@code required} and {@code nullable}, from the Java types (see
     * {@link NullabilityModelConverter}).
     */
    @Bean
    ModelConverter nullabilityFromJavaTypes(ApplicationContext context) {
        return new NullabilityModelConverter(() -> context.getBeansOfType(RequestMappingHandlerMapping.class)
            .values()
            .stream()
            .flatMap(mapping -> mapping.getHandlerMethods().values().stream())
            .toList());
    }

    /** See {@link ProblemDocumentation}. */
    @Bean
    OperationCustomizer problemDocumentation() {
        return new ProblemDocumentation();
    }

}
