package io.github.raaetl.camel;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** The records read ahead, handed to the splitter a group at a time (graph.batch-size of them, the last one fewer). */
final class RecordGroups implements Iterator<RecordGroup>, Closeable {

    private final ClaimAhead records;
    private final int size;

    RecordGroups(ClaimAhead records, int size) {
        this.records = records;
        this.size = size;
    }

    @Override
    public boolean hasNext() {
        return records.hasNext();
    }

    @Override
    public RecordGroup next() {
        if (!records.hasNext()) {
            throw new NoSuchElementException();
        }
        List<PreparedRecord> group = new ArrayList<>(size);
        while (group.size() < size && records.hasNext()) {
            group.add(records.next());
        }
        return new RecordGroup(group);
    }

    @Override
    public void close() throws IOException {
        records.close();
    }
}
