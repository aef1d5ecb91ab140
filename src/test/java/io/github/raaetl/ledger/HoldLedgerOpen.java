package io.github.raaetl.ledger;

/** Another loader's process, for a test: opens the embedded ledger, says so, and keeps it open until killed. */
public final class HoldLedgerOpen {

    private HoldLedgerOpen() {
    }

    public static void main(String[] args) throws Exception {
        try (RecordLedger ledger = RecordLedger.open(args[0], "", "", "holder")) {
            System.out.println("open");
            System.out.flush();
            Thread.currentThread().join(); // until the test kills this process
        }
    }
}
