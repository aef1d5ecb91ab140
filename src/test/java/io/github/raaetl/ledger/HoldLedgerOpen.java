package io.github.raaetl.ledger;

/**
 * Another loader's process, for a test: opens the embedded ledger (its URL, and where its records are kept: ROCKSDB
 * unless given), says so, and keeps it open until killed.
 */
public final class HoldLedgerOpen {

    private HoldLedgerOpen() {
    }

    public static void main(String[] args) throws Exception {
        try (RecordLedger ledger = RecordLedger.open(LedgerConfig.of(args[0], "", "")
                .withRecordStore(LedgerConfig.RecordStore.valueOf(args.length > 1 ? args[1] : "ROCKSDB")),
                LedgerOwner.current())) {
            System.out.println("open");
            System.out.flush();
            Thread.currentThread().join(); // until the test kills this process
        }
    }
}
