package io.planbilling.lifecycle;

import io.planbilling.shared.ApiProblem;
import io.planbilling.shared.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Operator tools", description = "The lifecycle job and the test clock; operator key only")
@RestController
@RequestMapping("/api/v1/admin")
class OperatorToolsController {

    private final LifecycleRunner lifecycle;

    OperatorToolsController(LifecycleRunner lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Operation(operationId = "runLifecycle", summary = "Run the lifecycle job now",
            description = "Expires, renews and accrues everything due at the service's current time and reports what each step did.")
    @ApiProblem(value = ErrorCode.LIFECYCLE_BUSY,
            detail = "Another instance is running the lifecycle steps that run alone (idempotency-key-purge); retry shortly.")
    @PostMapping("/lifecycle/run")
    LifecycleReport run() {
        return lifecycle.runNow();
    }

}
