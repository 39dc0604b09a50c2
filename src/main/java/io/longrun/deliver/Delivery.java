package io.longrun.deliver;

import io.longrun.generate.EventContext;
import io.longrun.generate.EventFormat;
import io.longrun.generate.Levels;
import io.longrun.pace.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Delivery's logic: {@link #prepare} (a route step) renders a batch of events with their headers,
 * {@link #completed} files each request's outcome as the HTTP producer reports it, and {@link #finish} makes sure
 * that an event whose route failed before it was sent still ends in exactly one outcome.
 */
public final class Delivery {

    /** One emitter as delivery sees it: its format, its random stream, its own URL if any, its extra headers. */
    public record Lane(String name, EventFormat format, long stream, String url, Map<String, String> headers) {
        public Lane(String name, EventFormat format, long stream) {
            this(name, format, stream, null, Map.of());
        }
    }

    private final List<Lane> lanes;
    private final long seed;
    private final String scenarioId;
    private final Clock clock;
    private final Outcomes outcomes;
    private final List<Map<String, String>> headers;
    /** The run's leg and the warm-up's, by {@link Leg#of}: the same code renders and files both kinds of event. */
    private final Leg[] legs;

    public Delivery(List<Lane> lanes, long seed, String scenarioId, Clock clock, Outcomes outcomes) {
        this.lanes = List.copyOf(lanes);
        this.legs = new Leg[] {new Leg(outcomes, this.lanes.size(), 0, clock.now()), new Leg(outcomes.warm(), this.lanes.size(), clock.nanoTime(), clock.now())};
        this.headers = this.lanes.stream().map(l -> {
            Map<String, String> h = new java.util.LinkedHashMap<>(l.headers());
            h.put("Content-Type", l.format().contentType());
            h.put("X-Emitter", l.name());
            h.put("X-Scenario-Id", scenarioId);
            return java.util.Collections.unmodifiableMap(h);
        }).toList();
        this.seed = seed;
        this.scenarioId = scenarioId;
        this.clock = clock;
        this.outcomes = outcomes;
    }

    /** The camel-http endpoint for a URL: statuses are outcomes here, not exceptions. */
    public static String endpointUri(String url, String method) {
        return url + (url.contains("?") ? "&" : "?") + "throwExceptionOnFailure=false&httpMethod=" + method;
    }

    /**
     * The schedule's time zero, monotonic (nanoseconds, as the dispatcher's) and on the wall clock: events carry their
     * due time since it, which value profiles read, and as an instant ({@code zero} plus that), which user formats read.
     * The warm-up's events carry theirs since this delivery was made.
     */
    public void begin(long start, java.time.Instant zero) {
        legs[0].zero = zero;
        legs[0].start = start;
    }

    /** The exchange property with the batch's {@link Request}s, once rendered. */
    static final String REQUESTS = "longrun.requests";

    /** Renders the batch's events: the body of the exchange becomes their {@link Request}s. */
    @SuppressWarnings("unchecked")
    public void prepare(Exchange exchange) {
        List<Dispatcher.Ticket> batch = exchange.getProperty(PacerComponent.TICKETS, List.class);
        Runnable release = exchange.getProperty(PacerComponent.RELEASE, Runnable.class);
        java.time.Instant now = clock.now();
        List<Request> requests = new ArrayList<>(batch.size());
        for (Dispatcher.Ticket t : batch) {
            Lane lane = lanes.get(t.emitter());
            // a warm-up event's levels are counted apart, and no stream fault touches it: its leg has none
            Leg leg = legs[Leg.of(t.seq())];
            Levels counted = leg.levels.get(t.emitter());
            long start = leg.start;
            long since = Math.max(0, t.due() - start);
            double elapsed = since / 1e9;
            // not zero.plusNanos(since): its "plus nothing" branch, taken by the run's first event alone, was a trap
            java.time.Instant due = java.time.Instant.ofEpochSecond(leg.zero.getEpochSecond(), leg.zero.getNano() + since);
            io.longrun.chaos.StreamChaos chaos = leg.chaos;
            byte[] body;
            try {
                body = lane.format().render(new EventContext(seed, lane.stream(), lane.name(), t.seq(), scenarioId, now, counted, elapsed, due));
            } catch (io.longrun.generate.UserFormat.Failure e) { // a user's format: the event fails, the run goes on
                long at = clock.nanoTime();
                leg.outcomes.formatError(t.emitter(), e.className(), e.getMessage());
                leg.outcomes.completed(t.emitter(), Leg.index(t.seq()), Outcome.FAILED, "format", t.due(), at, at);
                release.run();
                continue;
            }
            io.longrun.chaos.StreamChaos.Decision d = chaos == null ? null : chaos.decide(t.emitter(), t.seq(), clock.nanoTime());
            byte[] generated = body;
            if (d != null && d.touched()) {
                body = chaosLedger.apply(body, lane.name(), t.seq(), chaos.phaseName(), d);
                if (d.drop()) { // by design: not sent, its slot free at once, in none of the outcomes
                    outcomes.chaosDropped(t.emitter(), t.seq());
                    release.run();
                    continue;
                }
            }
            Map<String, String> h = headers.get(t.emitter());
            String type = lane.format().contentType();
            if (!type.equals(h.get("Content-Type"))) { // a replay's records may differ
                h = new java.util.LinkedHashMap<>(h);
                h.put("Content-Type", type);
            }
            Request r = new Request(t, body, h, lane.url(), release);
            if (d != null && d.touched()) {
                r.delayMs = d.delayMs();
                r.duplicateAfterMs = d.duplicateAfterMs();
                if (body != generated) r.original = generated;
                if (d.corrupt() != null || d.inject() != null || d.reorder() != null) r.chaosId = io.longrun.chaos.ChaosBody.idOf(generated);
                r.corrupted = d.corrupt() != null;
                r.reorder = d.reorder();
                if (d.inject() != null) inject(r, t, lane, now, elapsed, due, d.inject(), h);
            }
            requests.add(r);
        }
        exchange.setProperty(REQUESTS, requests);
        exchange.getIn().setBody(requests);
    }

    /** Renders the extra event an inject fault sends with {@code r}, with its own id, and writes its ledger line. */
    private void inject(Request r, Dispatcher.Ticket t, Lane lane, java.time.Instant now, double elapsed, java.time.Instant due,
                        io.longrun.scenario.StreamFault f, Map<String, String> h) {
        EventFormat format = injectFormats.computeIfAbsent(f.index(), i -> io.longrun.chaos.Injections.format(f));
        // its own random stream: its id and values are the inject fault's, not the emitter's
        long stream = lane.stream() ^ io.longrun.random.SplitMix.mix(0x696e6a656374L + f.index());
        byte[] body = format.render(new EventContext(seed, stream, lane.name(), t.seq(), scenarioId, now, null, elapsed, due));
        String id = io.longrun.chaos.ChaosBody.idOf(body);
        Map<String, String> ih = new java.util.LinkedHashMap<>(h);
        ih.put("Content-Type", format.contentType());
        r.injected = body;
        r.injectedHeaders = ih;
        r.injectFault = f;
        r.injectedId = id;
        chaosLedger.injected(id, lane.name(), t.seq(), r.chaosId, chaos.phaseName(), f);
    }

    private final Map<Integer, EventFormat> injectFormats = new java.util.concurrent.ConcurrentHashMap<>();

    /** An injected event's answer (its status, or -1 without one): counted in the chaos figures, not as an outcome. */
    void injectAnswered(Request r, int status) {
        io.longrun.chaos.StreamChaos c = chaos;
        if (c != null) c.injectAnswered(status >= 200 && status < 300, r.injectFault.inject().store(), r.injectedId);
    }

    /** A reorder window sent {@code r} {@code movedBy} places from its own: counted, and written to the ledger. */
    void reordered(Request r, int window, int movedBy) {
        io.longrun.chaos.StreamChaos c = chaos;
        if (c == null || movedBy == 0) return;
        c.reordered();
        chaosLedger.reordered(r.chaosId, lanes.get(r.ticket.emitter()).name(), r.ticket.seq(), c.phaseName(), window, movedBy);
    }

    /** The seed that shuffles reorder windows. */
    long seed() {
        return seed;
    }

    private volatile io.longrun.chaos.StreamChaos chaos;
    private volatile io.longrun.chaos.ChaosLedger chaosLedger;
    private volatile Resender resender;

    /** The stream faults of the phases, and the ledger of what they did. */
    public void chaos(io.longrun.chaos.StreamChaos chaos, io.longrun.chaos.ChaosLedger ledger) {
        this.chaosLedger = ledger;
        this.chaos = chaos;
        legs[0].chaos = chaos; // the run's events only
    }

    /** Sends a duplicate's copy {@code afterMs} after the original's answer; {@code done} runs once it is answered. */
    public interface Resender {
        void resend(Request r, long afterMs, Runnable done);
    }

    /** A duplicate's answer (its status, or -1 without one). */
    void duplicateAnswered(int status) {
        io.longrun.chaos.StreamChaos c = chaos;
        if (c != null) c.duplicateAnswered(status >= 200 && status < 300);
    }

    void resender(Resender resender) {
        this.resender = resender;
    }

    /** Event {@code seq} of an emitter as it is rendered (ids depend on the seed, the scenario id, the emitter and seq only). */
    public byte[] render(int emitter, long seq) {
        Lane lane = lanes.get(emitter);
        return lane.format().render(new EventContext(seed, lane.stream(), lane.name(), seq, scenarioId, clock.now(), null, 0));
    }

    /** The log levels each emitter generated (seed 000's SC_STAT), by emitter index. */
    public List<Levels> levels() {
        return legs[0].levels;
    }

    /** Who hears of failed deliveries as they happen ({@code --strict}): the emitter and the reason. */
    public interface FailureListener {
        void failed(String emitter, String reason);
    }

    /** Writes every completed request of the run to {@code --record}'s file. */
    public void record(Recorder recorder) {
        legs[0].recorder = recorder;
    }

    public void onFailure(FailureListener listener) {
        legs[0].failures = listener;
    }

    /** Keeps a sample of the run's accepted events, for the probes that read them back (utc_skew, lost_events). */
    public void sample(io.longrun.watch.SentEvents sent) {
        legs[0].sampled = sent;
    }

    /** The HTTP producer reports each request here as it completes: a status, or the error that left it without one. */
    public void completed(Request r, int status, Throwable error, long end) {
        if (!r.claim()) return;
        Dispatcher.Ticket t = r.ticket;
        Outcome outcome = error != null || status <= 0 ? Outcome.FAILED : Outcome.ofStatus(status);
        String reason = error != null ? Outcome.reasonOf(error) : status <= 0 ? "no-status" : Integer.toString(status);
        // a warm-up event counts in no outcome of the run, and nobody else hears of it: its leg's figures are apart
        Leg leg = legs[Leg.of(t.seq())];
        Resender again = resender;
        if (r.corrupted) { // by design: its answer is a chaos figure (2xx is a finding), not an outcome
            outcomes.chaosAnswered(t.emitter(), t.seq());
            io.longrun.chaos.StreamChaos c = chaos;
            if (c != null) c.corruptAnswered(outcome == Outcome.ACCEPTED, r.chaosId);
            if (r.duplicateAfterMs >= 0 && again != null && error == null && status > 0) {
                r.hold();
                again.resend(r, r.duplicateAfterMs, r::release);
            }
            r.release();
            return;
        }
        leg.outcomes.completed(t.emitter(), Leg.index(t.seq()), outcome, reason, t.due(), r.sentAt, end);
        Recorder rec = leg.recorder;
        if (rec != null) rec.write(r, lanes.get(t.emitter()).name(), outcome, reason, end);
        io.longrun.watch.SentEvents sent = leg.sampled;
        // as generated: a timestamp set by a modify stream fault is what utc_skew is to catch
        if (sent != null && outcome == Outcome.ACCEPTED) sent.offer(r.original != null ? r.original : r.body, end);
        if (r.duplicateAfterMs >= 0 && again != null && error == null && status > 0) {
            r.hold();
            again.resend(r, r.duplicateAfterMs, r::release);
        }
        r.release();
        FailureListener f = leg.failures;
        if (f != null && outcome == Outcome.FAILED) f.failed(lanes.get(t.emitter()).name(), reason);
    }

    /**
     * Called by the consumer when the route is done with a batch: files as failed every event that got no outcome
     * (the route failed before sending it), so that every event ends in exactly one outcome.
     */
    @SuppressWarnings("unchecked")
    void finish(Exchange exchange) {
        Throwable error = exchange.getException();
        String reason = error == null ? "internal" : "internal:" + Outcome.reasonOf(error);
        long now = clock.nanoTime();
        List<Request> requests = exchange.getProperty(REQUESTS, List.class);
        if (requests != null) {
            for (Request r : requests) {
                if (!r.claim()) continue;
                if (r.ticket.seq() < 0) {
                    r.release();
                    continue;
                }
                if (r.corrupted) outcomes.chaosAnswered(r.ticket.emitter(), r.ticket.seq());
                else outcomes.completed(r.ticket.emitter(), r.ticket.seq(), Outcome.FAILED, reason, r.ticket.due(), r.sentAt, now);
                r.release();
            }
            return;
        }
        // never rendered: no request holds the slots yet
        List<Dispatcher.Ticket> batch = exchange.getProperty(PacerComponent.TICKETS, List.class);
        Runnable release = exchange.getProperty(PacerComponent.RELEASE, Runnable.class);
        for (Dispatcher.Ticket t : batch) {
            if (t.seq() >= 0) outcomes.completed(t.emitter(), t.seq(), Outcome.FAILED, reason, t.due(), t.due(), now);
            release.run();
        }
    }
}
