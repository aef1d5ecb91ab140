package io.github.raaetl.ledger;

import java.time.Clock;
import java.time.Duration;

/** Another loader's process, for a test: opens the embedded ledger, says so, and keeps it open until killed. */
public final class HoldLedgerOpen {

    private HoldLedgerOpen() {
    }

    public static void main(String[] args) throws Exception {
        try (RecordLedger ledger = RecordLedger.open(args[0], "", "", LedgerOwner.current(), Duration.ofSeconds(60),
                Clock.systemUTC())) {
            System.out.println("open");
            System.out.flush();
            Thread.currentThread().join(); // until the test kills this process
        }
    }
}
