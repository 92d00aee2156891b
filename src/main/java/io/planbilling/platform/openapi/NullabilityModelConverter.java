package io.planbilling.platform.openapi;

import com.fasterxml.jackson.databind.JavaType;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.Schema;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;

/**
 * Derives {@code required} and {@code nullable} of every record's schema from the Java
 * type, so that the document says what the JSON is (the code is {@code @NullMarked}: a
 * component is never null unless it is {@code @Nullable}).
 *
 * <ul>
 * <li>A record the service <em>sends</em> (a response, a page, an event payload): every
 * component is {@code required} — Jackson writes every member, nulls included
 * ({@code spring.jackson.default-property-inclusion:
 * always}) — and {@code nullable: true} exactly where the component is
 * {@code @Nullable}.</li>
 * <li>A record the service <em>reads</em> (a request body, or a record inside one):
 * {@code @Nullable} components are {@code nullable: true} (null means absent); which are
 * required stays with the bean-validation constraints ({@code @NotNull},
 * {@code @NotBlank} …). A component that is {@code @Nullable} in Java only so that the
 * service can name every bad record of a batch, but is required by the API, says so with
 * {@code @Schema(requiredMode = REQUIRED)}, which wins over the Java type.</li>
 * </ul>
 *
 * A nullable reference is written the way OpenAPI 3.0 allows ({@code $ref} has no
 * siblings there): {@code {"nullable": true, "allOf": [{"$ref": …}]}}.
 */
class NullabilityModelConverter implements ModelConverter {

    private final Supplier<Collection<HandlerMethod>> handlers;

    private volatile @Nullable Set<Class<?>> requestTypes;

    NullabilityModelConverter(Supplier<Collection<HandlerMethod>> handlers) {
        this.handlers = handlers;
    }

    @Override
    public @Nullable Schema<?> resolve(AnnotatedType type, ModelConverterContext context,
            Iterator<ModelConverter> chain) {
        Schema<?> resolved = chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
        if (resolved == null || type.getType() == null) {
            return resolved;
        }
        JavaType javaType = Json.mapper().constructType(type.getType());
        Class<?> raw = javaType.getRawClass();
        if (!raw.isRecord()) {
            return resolved;
        }
        Schema<?> model = resolved;
        if (resolved.get$ref() != null) {
            String ref = resolved.get$ref();
            model = context.getDefinedModels().get(ref.substring(ref.lastIndexOf('/') + 1));
        }
        if (model != null && model.getProperties() != null) {
            apply(model, raw, requestTypes().contains(raw));
        }
        return resolved;
    }

    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static void apply(Schema model, Class<?> record, boolean request) {
        Map<String, Schema> properties = model.getProperties();
        List<String> required = model.getRequired() == null ? new ArrayList<>() : new ArrayList<>(model.getRequired());
        for (RecordComponent component : record.getRecordComponents()) {
            String name = component.getName();
            Schema property = properties.get(name);
            if (property == null) {
                continue;
            }
            io.swagger.v3.oas.annotations.media.Schema declared = component.getAccessor()
                .getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class);
            ArraySchema array = component.getAccessor().getAnnotation(ArraySchema.class);
            if (declared == null && array != null) {
                declared = array.arraySchema();
            }
            io.swagger.v3.oas.annotations.media.Schema.RequiredMode mode = declared == null
                    ? io.swagger.v3.oas.annotations.media.Schema.RequiredMode.AUTO : declared.requiredMode();
            boolean nullable = component.getAnnotatedType().isAnnotationPresent(Nullable.class)
                    && mode != io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;
            boolean mustBePresent = mode == io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED
                    || (!request && mode != io.swagger.v3.oas.annotations.media.Schema.RequiredMode.NOT_REQUIRED);
            if (mustBePresent && !required.contains(name)) {
                required.add(name);
            }
            if (!mustBePresent && nullable) {
                required.remove(name);
            }
            if (nullable) {
                properties.put(name, nullable(property));
            }
        }
        model.setRequired(required.isEmpty() ? null : required);
    }

    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static Schema nullable(Schema property) {
        if (property.get$ref() == null) {
            property.setNullable(true);
            return property;
        }
        Schema wrapped = new ComposedSchema().allOf(List.of(new Schema<>().$ref(property.get$ref())));
        wrapped.setNullable(true);
        wrapped.setDescription(property.getDescription());
        return wrapped;
    }

    /**
     * The records the service reads: every {@code @RequestBody} type and the records
     * inside it.
     */
    private Set<Class<?>> requestTypes() {
        Set<Class<?>> types = requestTypes;
        if (types == null) {
            types = new HashSet<>();
            for (HandlerMethod handler : handlers.get()) {
                for (MethodParameter parameter : handler.getMethodParameters()) {
                    if (parameter.hasParameterAnnotation(RequestBody.class)) {
                        collect(parameter.getGenericParameterType(), types);
                    }
                }
            }
            requestTypes = types;
        }
        return types;
    }

    private static void collect(Type type, Set<Class<?>> into) {
        Set<Type> pending = new LinkedHashSet<>(List.of(type));
        while (!pending.isEmpty()) {
            Type next = pending.iterator().next();
            pending.remove(next);
            if (next instanceof ParameterizedType parameterized) {
                pending.addAll(List.of(parameterized.getActualTypeArguments()));
                pending.add(parameterized.getRawType());
            }
            else if (next instanceof WildcardType wildcard) {
                pending.addAll(List.of(wildcard.getUpperBounds()));
            }
            else if (next instanceof Class<?> type1 && type1.isRecord() && into.add(type1)) {
                for (RecordComponent component : type1.getRecordComponents()) {
                    pending.add(component.getGenericType());
                }
            }
        }
    }

}
