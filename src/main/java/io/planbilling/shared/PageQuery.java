package io.planbilling.shared;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

/**
 * {@code ?page=0&size=20} of every list endpoint, bound from the query string and
 * validated (size at most 200; page at most {@value #MAX_PAGE}, so that the row offset
 * {@code page × size} stays within what the database query takes). Use as a controller
 * parameter annotated {@code @Valid}.
 */
public record PageQuery(@Min(0) @Max(MAX_PAGE) Integer page, @Min(1) @Max(200) Integer size) {

    public static final int DEFAULT_SIZE = 20;

    public static final int MAX_PAGE = 10_000_000;

    public PageQuery {
        page = page == null ? 0 : page;
        size = size == null ? DEFAULT_SIZE : size;
    }

    public long offset() {
        return (long) page * size;
    }

    public Pageable toPageable(Sort sort) {
        return PageRequest.of(page, size, sort);
    }
}
