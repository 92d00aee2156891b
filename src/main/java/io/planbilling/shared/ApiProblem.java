package io.planbilling.shared;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents one error an operation can answer with: the OpenAPI document gets a response
 * for the code's status (from the {@link ErrorCode} catalogue) with a problem-details
 * example carrying this code and detail. Repeat it for every product-rule error of an
 * endpoint; the errors every endpoint shares (400, 401, 403, 404 …) are added without it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(ApiProblem.List.class)
public @interface ApiProblem {

    ErrorCode value();

    /** An example {@code detail}. */
    String detail();

    /**
     * The example's one {@code errors} entry: its field (none when empty;
     * VALIDATION_FAILED always shows one).
     */
    String field() default "";

    /** The example's one {@code errors} entry: its message. */
    String message() default "";

    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {

        ApiProblem[] value();

    }

}
