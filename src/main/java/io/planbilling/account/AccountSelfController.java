package io.planbilling.account;

import io.planbilling.shared.Caller;
import io.planbilling.shared.PageQuery;
import io.planbilling.shared.PageView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.time.YearMonth;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Account", description = "The calling account's balance, ledger and bills")
@RestController
@RequestMapping("/api/v1")
class AccountSelfController {

    private final Accounts accounts;

    private final Bills bills;

    AccountSelfController(Accounts accounts, Bills bills) {
        this.accounts = accounts;
        this.bills = bills;
    }

    @Operation(operationId = "getOwnAccount", summary = "Read the calling account with its balance")
    @GetMapping("/account")
    AccountView account(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller) {
        return accounts.get(caller.requireAccountId());
    }

    @Operation(operationId = "listOwnLedger", summary = "Read the calling account's ledger, newest first")
    @GetMapping("/account/ledger")
    PageView<LedgerEntryView> ledger(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Valid @ParameterObject PageQuery page) {
        return accounts.ledger(caller.requireAccountId(), page);
    }

    @Operation(operationId = "getBill", summary = "Read a monthly bill",
            description = "The month's prepaid ledger entries, its postpaid lines and the totals; months are calendar months in billing.zone.")
    @GetMapping("/bills")
    BillView bill(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Parameter(description = "YYYY-MM", example = "2026-11",
                    // 14: the ISO year-month parser's own limit ("+" and a 10-digit
                    // year); anything longer is a 400
                    schema = @Schema(type = "string", maxLength = 14)) @RequestParam YearMonth month) {
        return bills.bill(caller.requireAccountId(), month);
    }

}
