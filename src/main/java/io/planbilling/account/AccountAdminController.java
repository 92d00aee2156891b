package io.planbilling.account;

import io.planbilling.shared.ApiProblem;
import io.planbilling.shared.ErrorCode;
import io.planbilling.shared.Money;
import io.planbilling.shared.PageQuery;
import io.planbilling.shared.PageView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.Currency;
import java.util.UUID;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Accounts (operator)", description = "Accounts, top-ups, API keys and ledgers; operator key only")
@RestController
@RequestMapping("/api/v1/accounts")
class AccountAdminController {

    private final Accounts accounts;

    AccountAdminController(Accounts accounts) {
        this.accounts = accounts;
    }

    record CreateAccountRequest(@Schema(example = "Acme Networks") @NotBlank @Size(max = 200) String name) {
    }

    /**
     * A money amount as docs/accounts-and-money.md writes it: a decimal string with at
     * most two places, and the currency.
     */
    record MoneyInput(
            @Schema(example = "100.00", maxLength = 15) @NotNull @Pattern(regexp = MoneyInput.AMOUNT,
                    message = MoneyInput.AMOUNT_RULE) String amount,
            @Schema(example = "CNY", maxLength = 3) @NotNull @Pattern(regexp = "[A-Z]{3}",
                    message = "must be an ISO 4217 code") String currency) {

        /**
         * What {@code amount} must look like, and how a request that breaks it is told
         * (also checked by hand).
         */
        static final String AMOUNT = "(0|[1-9][0-9]{0,11})(\\.[0-9]{1,2})?";
        static final String AMOUNT_RULE = "must be a decimal string with at most 12 integer digits and 2 decimal places";

        Money toMoney() {
            return Money.of(amount, Currency.getInstance(currency));
        }
    }

    record CreditRequest(@NotNull @Valid MoneyInput amount,
            @Schema(example = "wire-2026-11-0042") @NotBlank @Size(max = 128) String reference) {
    }

    @Operation(operationId = "createAccount", summary = "Create an account",
            description = "Answers with the account's first API key; it is shown only here.")
    @ApiResponse(responseCode = "201", description = "The account with its first API key",
            content = @Content(schema = @Schema(implementation = CreatedAccount.class)),
            headers = @Header(name = "Location", required = true, description = "the new account",
                    schema = @Schema(type = "string", format = "uri-reference", maxLength = 200)))
    @PostMapping
    ResponseEntity<CreatedAccount> create(@Valid @RequestBody CreateAccountRequest request) {
        CreatedAccount created = accounts.create(request.name());
        return ResponseEntity.created(URI.create("/api/v1/accounts/" + created.id())).body(created);
    }

    @Operation(operationId = "listAccounts", summary = "List accounts, newest first")
    @GetMapping
    PageView<AccountView> list(@Valid @ParameterObject PageQuery page) {
        return accounts.list(page);
    }

    @Operation(operationId = "getAccount", summary = "Read an account with its balance")
    @GetMapping("/{id}")
    AccountView get(@PathVariable UUID id) {
        return accounts.get(id);
    }

    @Operation(operationId = "creditAccount", summary = "Top up the prepaid balance",
            description = "Appends a CREDIT ledger entry. The reference is unique per account, so a payment is never applied twice.")
    @ApiProblem(value = ErrorCode.DUPLICATE_REFERENCE,
            detail = "A credit with reference 'wire-2026-11-0042' was already applied to this account.")
    @ApiResponse(responseCode = "201", description = "The CREDIT ledger entry",
            content = @Content(schema = @Schema(implementation = LedgerEntryView.class)))
    @PostMapping("/{id}/credits")
    ResponseEntity<LedgerEntryView> credit(@PathVariable UUID id, @Valid @RequestBody CreditRequest request) {
        return ResponseEntity.status(201).body(accounts.credit(id, request.amount().toMoney(), request.reference()));
    }

    @Operation(operationId = "rotateApiKey", summary = "Rotate the account's API key",
            description = "Issues a new key (shown only here) and revokes every earlier key at once.")
    @ApiResponse(responseCode = "201", description = "The new key",
            content = @Content(schema = @Schema(implementation = IssuedApiKey.class)))
    @PostMapping("/{id}/api-keys")
    ResponseEntity<IssuedApiKey> rotateKey(@PathVariable UUID id) {
        return ResponseEntity.status(201).body(accounts.rotateKey(id));
    }

    @Operation(operationId = "listAccountLedger", summary = "Read an account's ledger, newest first")
    @GetMapping("/{id}/ledger")
    PageView<LedgerEntryView> ledger(@PathVariable UUID id, @Valid @ParameterObject PageQuery page) {
        return accounts.ledger(id, page);
    }

}
