package io.planbilling.shared;

import java.util.List;
import java.util.function.Function;
import org.springframework.data.domain.Page;

/**
 * A page of a list, as docs/api-guide.md shapes it: {@code {content, page: {number, size,
 * totalElements, totalPages}}}.
 */
public record PageView<T>(List<T> content, Meta page) {

    public record Meta(int number, int size, long totalElements, int totalPages) {
    }

    public static <E, T> PageView<T> of(Page<E> page, Function<? super E, ? extends T> mapper) {
        return new PageView<>(page.getContent().stream().<T>map(mapper).toList(),
                new Meta(page.getNumber(), page.getSize(), page.getTotalElements(), page.getTotalPages()));
    }

    public static <T> PageView<T> of(List<T> content, PageQuery query, long totalElements) {
        int totalPages = (int) ((totalElements + query.size() - 1) / query.size());
        return new PageView<>(content, new Meta(query.page(), query.size(), totalElements, totalPages));
    }
}
