package io.planbilling.testing;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Points every Spring test context at {@link TestDatabase}: registered in
 * {@code META-INF/spring.factories}, so no test can forget it and none ever starts the
 * development database under {@code ./.data}. Web slices ({@link WebSliceTest}) have no
 * {@code DataSource} and start no database.
 */
class TestDatabaseContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        if (TestContextAnnotationUtils.hasAnnotation(testClass, WebMvcTest.class)) {
            // a web slice has no DataSource: it needs no database, and starts none
            return null;
        }
        return new TestDatabaseCustomizer();
    }

    private static final class TestDatabaseCustomizer implements ContextCustomizer {

        @Override
        public void customizeContext(org.springframework.context.ConfigurableApplicationContext context,
                org.springframework.test.context.MergedContextConfiguration mergedConfig) {
            TestDatabase.Connection db = TestDatabase.connection();
            context.getEnvironment()
                .getPropertySources()
                .addLast(new MapPropertySource("testDatabase", Map.of("spring.datasource.url", db.url(),
                        "spring.datasource.username", db.username(), "spring.datasource.password", db.password())));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TestDatabaseCustomizer;
        }

        @Override
        public int hashCode() {
            return TestDatabaseCustomizer.class.hashCode();
        }

    }

}
