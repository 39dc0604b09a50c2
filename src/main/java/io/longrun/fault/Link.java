package io.longrun.fault;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One direction of a proxied connection: bytes read from {@code source} go through a chain of stages, one per
 * toxic in the order they were added, and the sink writes them to {@code dest}. Everything here runs on the
 * connection's event loop.
 *
 * <p>Back-pressure: the bytes read but not yet written (held by stages or queued in the socket) are counted;
 * above {@link #HIGH_WATER} the source is paused, below {@link #LOW_WATER} it reads again. A slow destination or
 * a holding toxic thus fills the sender's TCP window instead of the proxy's memory.
 */
final class Link {
    static final int HIGH_WATER = 256 * 1024, LOW_WATER = 64 * 1024;

    /** A toxic's stage in this chain, under the toxic's name. */
    private record Placed(String name, Stage stage) {}

    final Direction direction;
    private final Connection connection;
    private final NetSocket source, dest;
    private final Vertx vertx;
    private final AtomicLong received, sent;
    private final List<Placed> chain = new ArrayList<>();
    private final Stage sink = new Sink();
    private long inFlight;
    private boolean paused, ended;

    Link(Direction direction, Connection connection, NetSocket source, NetSocket dest, Vertx vertx, AtomicLong received, AtomicLong sent) {
        this.direction = direction;
        this.connection = connection;
        this.source = source;
        this.dest = dest;
        this.vertx = vertx;
        this.received = received;
        this.sent = sent;
        sink.link = this;
    }

    /** Starts reading the source; the stages given are already in place. */
    void start() {
        source.handler(chunk -> {
            received.addAndGet(chunk.length());
            inFlight += chunk.length();
            if (inFlight > HIGH_WATER && !paused) {
                paused = true;
                source.pause();
            }
            head().data(chunk);
        });
        source.endHandler(v -> head().end());
        source.resume();
    }

    private Stage head() {
        return chain.isEmpty() ? sink : chain.get(0).stage();
    }

    /** Appends a toxic's stage at the end of the chain (as Toxiproxy does), and starts it. */
    void add(String name, Stage stage) {
        stage.link = this;
        stage.next = sink;
        if (!chain.isEmpty()) chain.get(chain.size() - 1).stage().next = stage;
        chain.add(new Placed(name, stage));
        stage.attached();
    }

    /** Takes a toxic's stage out: it hands on what it holds, then the chain closes over the gap. */
    void remove(String name) {
        int i = indexOf(name);
        if (i < 0) return;
        Stage gone = chain.get(i).stage();
        gone.detach();
        if (i > 0) chain.get(i - 1).stage().next = gone.next;
        chain.remove(i);
    }

    /** Puts a new stage where a toxic's old one was (an update): the old one hands on what it holds first. */
    void replace(String name, Stage stage) {
        int i = indexOf(name);
        if (i < 0) return;
        Stage old = chain.get(i).stage();
        old.detach();
        stage.link = this;
        stage.next = old.next;
        if (i > 0) chain.get(i - 1).stage().next = stage;
        chain.set(i, new Placed(name, stage));
        stage.attached();
    }

    private int indexOf(String name) {
        for (int i = 0; i < chain.size(); i++) if (chain.get(i).name().equals(name)) return i;
        return -1;
    }

    long now() {
        return System.nanoTime();
    }

    long setTimer(long ms, Runnable action) {
        return vertx.setTimer(Math.max(1, ms), id -> action.run());
    }

    void cancelTimer(long id) {
        vertx.cancelTimer(id);
    }

    boolean closed() {
        return connection.closed();
    }

    void closeConnection() {
        connection.close();
    }

    void resetConnection() {
        connection.reset();
    }

    /** Bytes a stage threw away: they leave the back-pressure account. */
    void discarded(int bytes) {
        settled(bytes);
    }

    private void settled(int bytes) {
        inFlight -= bytes;
        if (paused && inFlight < LOW_WATER && !connection.closed()) {
            paused = false;
            source.resume();
        }
    }

    /** The end of the chain: writes to the destination; the end of the stream closes the connection after the writes. */
    private final class Sink extends Stage {
        @Override
        void data(Buffer chunk) {
            if (ended || connection.closed()) {
                settled(chunk.length());
                return;
            }
            int n = chunk.length();
            dest.write(chunk).onComplete(ar -> {
                if (ar.succeeded()) sent.addAndGet(n);
                settled(n);
            });
        }

        @Override
        void end() {
            if (ended) return;
            ended = true;
            connection.endFrom(direction);
        }
    }
}
