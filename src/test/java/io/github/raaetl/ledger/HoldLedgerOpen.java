package io.github.raaetl.ledger;

/** Another loader's process, for a test: opens the embedded ledger, says so, and keeps it open until killed. */
public final class HoldLedgerOpen {

    private HoldLedgerOpen() {
    }

    public static void main(String[] args) throws Exception {
        try (RecordLedger ledger = RecordLedger.open(LedgerConfig.of(args[0], "", ""), LedgerOwner.current())) {
            System.out.println("open");
            System.out.flush();
            Thread.currentThread().join(); // until the test kills this process
        }
    }
}
