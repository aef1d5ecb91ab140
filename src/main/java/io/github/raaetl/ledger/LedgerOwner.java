package io.github.raaetl.ledger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/** A loader process using the ledger: a fresh id per start, with its host and pid for messages. */
public record LedgerOwner(String id, String host, long pid) {

    public static LedgerOwner current() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return new LedgerOwner(UUID.randomUUID().toString(), host, ProcessHandle.current().pid());
    }

    public String describe() {
        return "pid " + pid + " on host " + host;
    }
}
