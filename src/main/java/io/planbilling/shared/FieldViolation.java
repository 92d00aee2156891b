package io.planbilling.shared;

/**
 * One entry of a problem's {@code errors} list: which field (a JSON path or a parameter
 * name) and why.
 */
public record FieldViolation(String field, String message) {
}
