package io.durableflows.api.credits;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.errors.ApiException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The caller's org balance and its ledger, newest first. Top-ups are an admin route. */
@RestController
class CreditController {
  private final CreditService credits;

  CreditController(CreditService credits) {
    this.credits = credits;
  }

  @GetMapping("/api/v1/credits")
  Map<String, Object> get(Caller caller, @RequestParam(defaultValue = "50") int limit) {
    caller.require("runs:read");
    if (limit < 1 || limit > 500) throw ApiException.badRequest("invalid_request", "limit must be between 1 and 500");
    BigDecimal balance = credits.balance(caller.orgId());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("balance", CreditService.format(balance));
    out.put("precharge", CreditService.format(credits.precharge()));
    out.put("ledger", credits.ledger(caller.orgId(), limit).stream().map(e -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", e.id());
      row.put("kind", e.kind());
      row.put("amount", CreditService.format(e.amount()));
      row.put("balance_after", CreditService.format(e.balanceAfter()));
      row.put("run_id", e.runId());
      row.put("note", e.note());
      row.put("created_at", e.createdAt());
      return row;
    }).toList());
    return out;
  }
}
