package io.planbilling.events;

import io.planbilling.shared.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.Explode;
import io.swagger.v3.oas.annotations.enums.ParameterStyle;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Events", description = "What happened, for other billing services: the pull feed")
@RestController
@RequestMapping("/api/v1/events")
class EventController {

    private final EventFeed feed;

    EventController(EventFeed feed) {
        this.feed = feed;
    }

    @Operation(operationId = "listEvents", summary = "Read the event feed after a cursor, oldest first",
            description = "An account key reads its own account's events, the operator every account's. Strictly "
                    + "ordered; a cursor never skips an event that commits late. Start without `after`, then pass "
                    + "the page's `nextCursor`; when `hasMore` is false, poll again later with the same cursor.")
    @GetMapping
    EventPage events(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Parameter(description = "the nextCursor of the previous page (opaque); absent for the beginning",
                    example = "1234-56") @RequestParam(required = false) @Size(max = 41) @Nullable String after,
            @Parameter(description = "at most this many events (1–1000)") @RequestParam(
                    defaultValue = "100") @Min(1) @Max(1000) int limit,
            @Parameter(
                    description = "only these kinds, comma-separated (all when absent), e.g. for a console's"
                            + " notification pane; an unknown kind is 400 naming the allowed ones",
                    array = @ArraySchema(maxItems = 50,
                            schema = @Schema(maxLength = 64, example = "traffic_package.usage_threshold_reached")),
                    explode = Explode.FALSE, style = ParameterStyle.FORM) @RequestParam(
                            required = false) @Size(max = 50) @Nullable List<String> types) {
        return feed.read(caller, after, limit, types == null ? List.of() : types);
    }

}
