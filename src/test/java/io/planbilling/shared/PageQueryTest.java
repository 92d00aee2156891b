package io.planbilling.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

/**
 * Paging ({@code ?page=&size=}), without Spring: the defaults, and a row offset that does
 * not overflow at the largest page the bounds allow.
 */
class PageQueryTest {

    @Test
    void absentParametersAreTheFirstPageOfTwenty() {
        PageQuery page = new PageQuery(null, null);

        assertThat(page.page()).isZero();
        assertThat(page.size()).isEqualTo(PageQuery.DEFAULT_SIZE).isEqualTo(20);
        assertThat(page.offset()).isZero();
    }

    @Test
    void theOffsetOfTheLastAllowedPageOfTheLargestSizeFitsALong() {
        PageQuery last = new PageQuery(PageQuery.MAX_PAGE, 200);

        assertThat(last.offset()).isEqualTo(2_000_000_000L).isGreaterThan(Integer.MAX_VALUE / 2);
        assertThat(new PageQuery(3, 25).offset()).isEqualTo(75);
    }

    @Test
    void becomesASortedPageRequest() {
        Pageable pageable = new PageQuery(2, 50).toPageable(Sort.by("createdAt"));

        assertThat(pageable.getPageNumber()).isEqualTo(2);
        assertThat(pageable.getPageSize()).isEqualTo(50);
        assertThat(pageable.getOffset()).isEqualTo(100);
        assertThat(pageable.getSort()).isEqualTo(Sort.by("createdAt"));
    }

}
