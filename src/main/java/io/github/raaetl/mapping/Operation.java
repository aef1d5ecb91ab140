package io.github.raaetl.mapping;

/** What the record asks of Graph. */
public enum Operation {
    /** POST /deviceManagement/remoteActionAudits, expect 201. */
    CREATE,
    /** PATCH /deviceManagement/remoteActionAudits/{id}, expect 200 or 204. */
    UPDATE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
