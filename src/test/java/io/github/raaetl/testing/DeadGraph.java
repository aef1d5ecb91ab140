package io.github.raaetl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Graph that cannot be reached, on 127.0.0.1: a port that refuses connections, or one that takes each connection
 * and drops it at once without a word (counting them).
 */
public final class DeadGraph implements AutoCloseable {

    private final ServerSocket socket;
    private final int port;
    private final AtomicInteger connections = new AtomicInteger();

    private DeadGraph(boolean refuse) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        port = socket.getLocalPort();
        if (refuse) {
            socket.close(); // nothing listens there any more
            return;
        }
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    connections.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "dead-graph");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @param refuse true: connections are refused; false: taken and dropped */
    public static DeadGraph start(boolean refuse) {
        try {
            return new DeadGraph(refuse);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public int connections() {
        return connections.get();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket
        }
    }
}
