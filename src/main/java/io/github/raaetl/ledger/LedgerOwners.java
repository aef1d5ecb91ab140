package io.github.raaetl.ledger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The {@code ledger_owner} table: the loaders using the ledger, each alive while its lease runs. Leases are set and
 * read on the database's clock, never on a loader's own: two machines whose clocks disagree by more than a lease must
 * still agree on who is alive.
 */
final class LedgerOwners {

    private final LedgerOwner owner;
    private final Duration lease;
    private final String register;
    private final String renew;
    private final String alive;
    /** When this loader last renewed its lease, on its own monotonic clock (taken before the renewal was asked). */
    private volatile long renewedNanos;

    LedgerOwners(LedgerOwner owner, Duration lease, LedgerDialect dialect) {
        this.owner = owner;
        this.lease = lease;
        String now = dialect.nowMillis();
        this.register = "INSERT INTO ledger_owner (owner, host, pid, started_at, lease_until) VALUES (?, ?, ?, " + now
                + ", " + now + " + ?)";
        this.renew = "UPDATE ledger_owner SET lease_until = " + now + " + ? WHERE owner = ?";
        this.alive = "SELECT 1 FROM ledger_owner WHERE owner = ? AND lease_until >= " + now;
    }

    LedgerOwner owner() {
        return owner;
    }

    void register(LedgerSession c) throws SQLException {
        long asked = System.nanoTime();
        deregister(c);
        PreparedStatement i = c.prepare(register);
        i.setString(1, owner.id());
        i.setString(2, owner.host());
        i.setLong(3, owner.pid());
        i.setLong(4, lease.toMillis());
        i.executeUpdate();
        renewedNanos = asked;
    }

    /** @return false when this loader's row was gone (then it registers again) */
    boolean renew(LedgerSession c) throws SQLException {
        long asked = System.nanoTime();
        PreparedStatement u = c.prepare(renew);
        u.setLong(1, lease.toMillis());
        u.setString(2, owner.id());
        if (u.executeUpdate() != 1) {
            return false;
        }
        renewedNanos = asked;
        return true;
    }

    /**
     * Whether this loader may still act as the holder of its claims: its lease, as last renewed, has at least half
     * its length to run. Past that it could run out (on the database's clock) while a request is out, and another
     * loader could take its records over.
     */
    boolean leaseHeld() {
        return System.nanoTime() - renewedNanos < lease.toNanos() / 2;
    }

    boolean alive(LedgerSession c, String ownerId) throws SQLException {
        PreparedStatement q = c.prepare(alive);
        q.setString(1, ownerId);
        try (ResultSet r = q.executeQuery()) {
            return r.next();
        }
    }

    String describe(LedgerSession c, String ownerId) throws SQLException {
        PreparedStatement q = c.prepare("SELECT host, pid FROM ledger_owner WHERE owner = ?");
        q.setString(1, ownerId);
        try (ResultSet r = q.executeQuery()) {
            return r.next() ? "pid " + r.getLong("pid") + " on host " + r.getString("host") : "loader " + ownerId;
        }
    }

    /** This loader is gone: its files and SENDING records are another's to take over at once. */
    void deregister(LedgerSession c) throws SQLException {
        expire(c, owner.id());
    }

    /**
     * A loader known to have stopped (its lock file is free): its lease ends now. Its row stays, so messages can still
     * name it. @return whether it had one
     */
    boolean expire(LedgerSession c, String ownerId) throws SQLException {
        PreparedStatement u = c.prepare(ownerId.equals(owner.id()) ? "DELETE FROM ledger_owner WHERE owner = ?"
                : "UPDATE ledger_owner SET lease_until = 0 WHERE owner = ?");
        u.setString(1, ownerId);
        return u.executeUpdate() == 1;
    }
}
