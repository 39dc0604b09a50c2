package io.longrun.deliver;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.longrun.pace.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code to("longrun-http:target")}: sends a batch of rendered events ({@link Request}s, the message body) to the
 * target over Vert.x's asynchronous HTTP client, with at most {@code max_in_flight} pooled keep-alive connections,
 * and reports each response to {@link Delivery#completed} as it comes. The exchange completes with its last one.
 *
 * <p>Why not camel-http or camel-vertx-http: camel-http blocks a thread per request in flight, and
 * camel-vertx-http hands every response to a worker thread ({@code executeBlocking}). At thousands of events per
 * second those thread hand-offs cost more CPU than the HTTP itself. Here a batch is handed to the event loop once,
 * and its requests are written and their responses filed there, with no other thread involved; a failed request
 * (time-out, refused connection) is an outcome, not an exception, so no error handler runs for it.
 */
public final class HttpSink extends DefaultComponent {
    private final TargetAddress target;
    private final HttpMethod method;
    private final long timeoutMillis;
    private final int maxInFlight;
    private final Delivery delivery;
    private final Clock clock;
    private Vertx vertx;
    private Context context;
    private HttpClient client;

    public HttpSink(String targetUrl, String method, int maxInFlight, Duration timeout, Delivery delivery, Clock clock) {
        this.delivery = delivery;
        this.clock = clock;
        this.target = TargetAddress.of(targetUrl);
        this.method = HttpMethod.valueOf(method.toUpperCase(Locale.ROOT));
        this.maxInFlight = maxInFlight;
        this.timeoutMillis = Math.max(1, timeout.toMillis());
        this.legs = new Targets[] {new Targets(target, TargetAddress::of), new Targets(null, u -> null)};
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // One event loop: the pacer writes from its own thread, and on 2 cores a second loop only adds hand-offs.
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1)
                .setPreferNativeTransport(true));
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setPipelining(false)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .setTryUseCompression(false)
                .setMaxRedirects(0);
        client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(maxInFlight).setMaxWaitQueueSize(-1));
        context = vertx.getOrCreateContext(); // the one event loop's context
        delivery.resender(this::resend);
        preload();
    }

    /**
     * Netty's classes for writing a request as two buffers (its head, then a body larger than the room the encoder
     * kept after it), loaded now: a warm-up may never write one that way (a replay of small records at 100/s did
     * not), and loading them on the run's first request made it 1.3 ms late (the flight recorder's jdk.ClassLoad:
     * they were the only classes loaded on the way of the first event).
     */
    static void preload() {
        for (String c : List.of("io.netty.util.concurrent.PromiseCombiner", "io.netty.util.concurrent.PromiseCombiner$1",
                "io.netty.channel.unix.IovArray")) {
            try {
                Class.forName(c, true, HttpSink.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // another Netty: it loads what it needs when it needs it
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (client != null) client.close().toCompletionStage().toCompletableFuture().get();
        if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get();
        super.doStop();
    }

    /** The event loop's context, where requests are sent (for tests that call {@link #send} directly). */
    Context context() {
        return context;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new SinkEndpoint(uri, this);
    }

    /**
     * Where each {@link Leg}'s events go, by {@link Leg#of}: [0] the run's to the target (or an emitter's own URL),
     * [1] the warm-up's to a throwaway sink, never to the target. Picked by index, not by a branch, so that the
     * warm-up compiles the code the run executes.
     */
    private volatile Targets[] legs;

    /** Where one leg's requests go: {@code target}, or for an emitter with a URL of its own, {@code resolve(url)}. */
    private static final class Targets {
        final TargetAddress target;
        final java.util.function.Function<String, TargetAddress> resolve;
        /** The endpoints of emitters' own URLs, resolved once each (their number is the number of emitters at most). */
        final Map<String, TargetAddress> own = new java.util.concurrent.ConcurrentHashMap<>();

        Targets(TargetAddress target, java.util.function.Function<String, TargetAddress> resolve) {
            this.target = target;
            this.resolve = resolve;
        }

        /** Null when the leg has nowhere to go. */
        TargetAddress of(String uri) {
            return uri == null ? target : own.computeIfAbsent(uri, resolve);
        }
    }

    /**
     * Where warm-up events (negative sequence numbers) go: a throwaway sink, never the target, whatever their
     * emitter's URL. Null: none is set, and a warm-up event fails without being sent.
     */
    public void warmTarget(String url) {
        TargetAddress warm = url == null ? null : target.via(TargetAddress.of(url));
        legs = new Targets[] {legs[0], new Targets(warm, u -> warm)};
    }

    /**
     * Opens up to {@code count} pooled keep-alive connections to the target before the first event, and sends
     * nothing on them: each is taken from the pool for a request that is reset before a byte of it is written,
     * which hands the connection back to the pool. Returns how many were opened within {@code budget}.
     */
    public int preOpen(int count, Duration budget) throws InterruptedException {
        return preOpen(target, count, budget);
    }

    /**
     * The same to the warm-up's sink ({@link #warmTarget} first): the warm-up then runs on as many connections as
     * the run starts with, and the pool's choice among them is compiled for that many.
     */
    public int preOpenWarm(int count, Duration budget) throws InterruptedException {
        TargetAddress warm = legs[1].target;
        return warm == null ? 0 : preOpen(warm, count, budget);
    }

    private int preOpen(TargetAddress to, int count, Duration budget) throws InterruptedException {
        java.util.concurrent.CountDownLatch got = new java.util.concurrent.CountDownLatch(count);
        List<io.vertx.core.http.HttpClientRequest> held = new java.util.ArrayList<>();
        RequestOptions ro = to.options(method, timeoutMillis);
        context.runOnContext(v -> {
            for (int i = 0; i < count; i++)
                client.request(ro).onComplete(ar -> {
                    if (ar.succeeded()) {
                        // a connection that closes under it (the warm-up's sink closing its connections, a target's
                        // idle time-out) fails it: ours to ignore, not Vert.x's to log as an error on the console
                        ar.result().exceptionHandler(e -> {});
                        held.add(ar.result()); // on the event loop, as every other handler
                    }
                    got.countDown();
                });
        });
        got.await(budget.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        java.util.concurrent.CompletableFuture<Integer> opened = new java.util.concurrent.CompletableFuture<>();
        context.runOnContext(v -> {
            for (io.vertx.core.http.HttpClientRequest r : held) {
                r.exceptionHandler(e -> {}); // the reset is ours: nothing to report
                r.reset();
            }
            opened.complete(held.size());
        });
        try {
            return opened.get(budget.toMillis() + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return 0;
        }
    }

    /**
     * The request options for one request: the target URL (or the request's own), the method, the headers; a
     * warm-up event's go to the warm-up's sink.
     */
    RequestOptions options(Request r) {
        TargetAddress e = legs[Leg.of(r.ticket.seq())].of(r.uri);
        if (e == null) throw new IllegalStateException("a warm-up event without a warm-up sink");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        r.headers.forEach(headers::set);
        return e.options(method, timeoutMillis).setHeaders(headers);
    }

    /** Sends one request; its outcome goes to {@link Delivery#completed} and then {@code done} runs. */
    void send(Request r, Runnable done) {
        long delay = r.delayMs;
        if (delay > 0) { // a delay stream fault: held on the event loop's timer, no thread waits
            r.delayMs = 0;
            vertx.setTimer(delay, id -> send(r, done));
            return;
        }
        io.longrun.scenario.StreamFault reorder = r.reorder;
        if (reorder != null) { // a reorder stream fault: held in its emitter's window, then sent in the window's order
            r.reorder = null;
            reorder(r, reorder, done);
            return;
        }
        byte[] extra = r.injected;
        if (extra != null) { // an inject stream fault: the extra event goes beside this one, and holds its slot too
            r.injected = null;
            r.hold();
            other(r, extra, r.injectedHeaders, 0, status -> delivery.injectAnswered(r, status), r::release);
        }
        RequestOptions ro;
        try {
            ro = options(r);
        } catch (RuntimeException e) {
            delivery.completed(r, -1, e, clock.nanoTime());
            done.run();
            return;
        }
        r.sentAt = clock.nanoTime();
        client.request(ro)
                .compose(req -> req.send(Buffer.buffer(r.body)))
                // A response without a data handler has its body discarded, which is all longrun needs of it.
                .compose(resp -> resp.end().map(v -> resp.statusCode()))
                .onComplete(ar -> {
                    try {
                        if (ar.succeeded()) delivery.completed(r, ar.result(), null, clock.nanoTime());
                        else delivery.completed(r, -1, ar.cause(), clock.nanoTime());
                    } finally {
                        done.run();
                    }
                });
    }

    /**
     * A duplicate stream fault: the same event (same body, same id) again, {@code afterMs} after the original's
     * answer, on the event loop's timer. Its answer is counted in the run's chaos figures, not as an outcome.
     */
    private void resend(Request r, long afterMs, Runnable done) {
        other(r, r.body, null, afterMs, delivery::duplicateAnswered, done);
    }

    /**
     * A request that is not one of the run's events (a duplicate's copy, an injected event): {@code body} to the
     * request's address, with {@code headers} (null: the request's), {@code afterMs} from now; its status (-1
     * without one) goes to {@code answered}, then {@code done} runs.
     */
    private void other(Request r, byte[] body, Map<String, String> headers, long afterMs, java.util.function.IntConsumer answered, Runnable done) {
        Runnable go = () -> {
            RequestOptions ro;
            try {
                ro = options(r);
                if (headers != null) {
                    MultiMap h = MultiMap.caseInsensitiveMultiMap();
                    headers.forEach(h::set);
                    ro.setHeaders(h);
                }
            } catch (RuntimeException e) {
                answered.accept(-1);
                done.run();
                return;
            }
            client.request(ro)
                    .compose(req -> req.send(Buffer.buffer(body)))
                    .compose(resp -> resp.end().map(v -> resp.statusCode()))
                    .onComplete(ar -> {
                        try {
                            answered.accept(ar.succeeded() ? ar.result() : -1);
                        } finally {
                            done.run();
                        }
                    });
        };
        context.runOnContext(v -> {
            if (afterMs > 0) vertx.setTimer(afterMs, id -> go.run());
            else go.run();
        });
    }

    /** How long a reorder window waits for its last events: a window not full by then leaves as it is, shuffled. */
    static final long REORDER_WAIT_MS = 1000;

    /** An event held in a reorder window, with what runs once it is answered. */
    private record Held(Request r, Runnable done) {}

    /** One emitter's reorder window, its fault, and a count of its fillings (a pending wait knows if it is stale). */
    private static final class Window {
        final io.longrun.scenario.StreamFault fault;
        final io.longrun.chaos.ReorderWindow<Held> events;
        long filled;

        Window(io.longrun.scenario.StreamFault fault, long seed) {
            this.fault = fault;
            this.events = new io.longrun.chaos.ReorderWindow<>(fault.window(), seed);
        }
    }

    private final Map<Integer, Window> windows = new java.util.HashMap<>(); // on the event loop only

    private void reorder(Request r, io.longrun.scenario.StreamFault f, Runnable done) {
        int emitter = r.ticket.emitter();
        Window w = windows.get(emitter);
        if (w != null && w.fault != f) { // another phase's reorder: its window leaves first
            w.filled++;
            release(w.events.flush(), w.fault.window());
            w = null;
        }
        if (w == null) {
            w = new Window(f, delivery.seed() ^ io.longrun.random.SplitMix.mix(0x72656f72L + f.index() + 31L * emitter));
            windows.put(emitter, w);
        }
        boolean first = w.events.isEmpty();
        List<io.longrun.chaos.ReorderWindow.Placed<Held>> full = w.events.add(new Held(r, done), r.ticket.seq());
        if (!full.isEmpty()) {
            w.filled++;
            release(full, f.window());
        } else if (first) {
            Window win = w;
            long filling = w.filled;
            vertx.setTimer(REORDER_WAIT_MS, id -> {
                if (win.filled != filling) return;
                win.filled++;
                release(win.events.flush(), f.window());
            });
        }
    }

    private void release(List<io.longrun.chaos.ReorderWindow.Placed<Held>> placed, int window) {
        for (io.longrun.chaos.ReorderWindow.Placed<Held> p : placed) {
            delivery.reordered(p.item().r(), window, p.movedBy());
            send(p.item().r(), p.item().done());
        }
    }

    static final class SinkEndpoint extends DefaultEndpoint {
        SinkEndpoint(String uri, HttpSink component) {
            super(uri, component);
        }

        @Override
        public Producer createProducer() {
            return new SinkProducer(this, (HttpSink) getComponent());
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new IllegalArgumentException("longrun-http: is a producer endpoint only (use it in to)");
        }
    }

    static final class SinkProducer extends DefaultAsyncProducer {
        private final HttpSink sink;

        SinkProducer(Endpoint endpoint, HttpSink sink) {
            super(endpoint);
            this.sink = sink;
        }

        /** Sends every request of the batch in the body; the exchange completes when the last one has. */
        @Override
        @SuppressWarnings("unchecked")
        public boolean process(Exchange exchange, AsyncCallback callback) {
            List<Request> requests = exchange.getIn().getBody(List.class);
            if (requests == null || requests.isEmpty()) {
                callback.done(true);
                return true;
            }
            AtomicInteger pending = new AtomicInteger(requests.size());
            Runnable done = () -> {
                if (pending.decrementAndGet() == 0) callback.done(false);
            };
            // On the client's event loop: there the response callbacks run inline, as the response arrives. From
            // another thread Vert.x queues them, and a short response can end before its handler is set
            // (seen: 1 in 50,000 at 5,000/s). One hand-off per batch, not per request.
            sink.context.runOnContext(v -> {
                for (Request r : requests) sink.send(r, done);
            });
            return false;
        }
    }
}
