package io.longrun.run;

import io.longrun.chaos.ChaosBody;
import io.longrun.chaos.ChaosLedger;
import io.longrun.chaos.LedgerCheck;
import io.longrun.chaos.StreamChaos;
import io.longrun.deliver.Delivery;
import io.longrun.deliver.Outcomes;
import io.longrun.experiment.PhaseRunner;
import io.longrun.pace.Clock;
import io.longrun.scenario.Assertions;
import io.longrun.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's stream faults and fault ledger: the faults follow the phases, the ledger ({@code chaos.ndjson}) goes into
 * the run folder, the {@code ledger} assertion learns which events were not accepted, and {@code run.end} gets the
 * chaos figures.
 */
final class ChaosWiring implements AutoCloseable {
    private final StreamChaos chaos;
    private final ChaosLedger ledger;
    private final BitSet[] unaccepted;
    private final Delivery delivery;
    private final Outcomes outcomes;

    private ChaosWiring(StreamChaos chaos, ChaosLedger ledger, BitSet[] unaccepted, Delivery delivery, Outcomes outcomes) {
        this.chaos = chaos;
        this.ledger = ledger;
        this.unaccepted = unaccepted;
        this.delivery = delivery;
        this.outcomes = outcomes;
    }

    /** Sets the run's stream faults and ledger up; a wiring that does nothing when it has neither nor a ledger assertion. */
    static ChaosWiring open(Scenario sc, long seed, Path runLog, Delivery delivery, Outcomes outcomes) throws BadInput {
        boolean stream = sc.experiment().map(e -> e.hasStreamFaults()).orElse(false);
        boolean check = sc.runbook().asserts().stream().anyMatch(a -> a instanceof Assertions.Ledger);
        StreamChaos chaos = null;
        ChaosLedger ledger = null;
        if (stream) {
            chaos = new StreamChaos(sc.experiment().get(), outcomes.emitters(), seed);
            Path file = runLog.toAbsolutePath().getParent().resolve(ChaosLedger.FILE);
            try {
                ledger = new ChaosLedger(file);
            } catch (IOException e) {
                throw new BadInput("cannot write the fault ledger " + file + ": " + e.getMessage());
            }
            delivery.chaos(chaos, ledger);
        }
        BitSet[] unaccepted = null;
        if (check) {
            BitSet[] sets = new BitSet[outcomes.emitters().size()];
            for (int i = 0; i < sets.length; i++) sets[i] = new BitSet();
            outcomes.onUnaccepted((e, seq) -> {
                synchronized (sets[e]) {
                    if (seq <= Integer.MAX_VALUE) sets[e].set((int) seq);
                }
            });
            unaccepted = sets;
        }
        return new ChaosWiring(chaos, ledger, unaccepted, delivery, outcomes);
    }

    /** The stream faults follow the phase runner's phases. */
    void follow(PhaseRunner runner, Clock clock) {
        if (runner != null && chaos != null) runner.onPhase(i -> chaos.phase(i, clock.nanoTime()));
    }

    /** The injected events accepted that the target is to store (0 without stream faults). */
    long injectedStored() {
        return chaos == null ? 0 : chaos.injectedStored();
    }

    /** What the ledger assertion checks against; null when the scenario has none. */
    LedgerCheck check() {
        if (unaccepted == null) return null;
        try {
            if (ledger != null) ledger.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<LedgerCheck.Lane> lanes = new ArrayList<>();
        List<Outcomes.Stats> totals = outcomes.totals();
        for (int i = 0; i < totals.size(); i++) {
            int e = i;
            lanes.add(new LedgerCheck.Lane(totals.get(i).emitter(), totals.get(i).planned(), seq -> ChaosBody.idOf(delivery.render(e, seq))));
        }
        return new LedgerCheck(lanes, ledger == null ? null : ledger.file(), unaccepted, chaos == null ? null : chaos.findings());
    }

    /** {@code run.end}'s {@code chaos}, or null without stream faults. */
    Map<String, Object> record() {
        if (chaos == null) return null;
        StreamChaos.Counts c = chaos.counts();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dropped", c.dropped());
        m.put("duplicated", c.duplicated());
        m.put("delayed", c.delayed());
        m.put("reordered", c.reordered());
        m.put("modified", c.modified());
        m.put("corrupted", c.corrupted());
        m.put("injected", c.injected());
        m.put("duplicates_accepted", c.duplicatesAccepted());
        m.put("duplicates_other", c.duplicatesOther());
        m.put("corrupted_accepted", c.corruptedAccepted());
        m.put("corrupted_other", c.corruptedOther());
        m.put("injected_accepted", c.injectedAccepted());
        m.put("injected_other", c.injectedOther());
        StreamChaos.Findings f = chaos.findings();
        // accepted (2xx) though the target must reject them: a finding, named with its ids
        if (f.corruptedAccepted() > 0) m.put("corrupted_accepted_ids", f.corruptedIds());
        if (f.injectedAccepted() > 0) m.put("injected_accepted_ids", f.injectedIds());
        m.put("ledger", ChaosLedger.FILE);
        return m;
    }

    @Override
    public void close() {
        try {
            if (ledger != null) ledger.close();
        } catch (IOException e) {
            // the ledger's lines were flushed before the checks; a failing close loses nothing they read
        }
    }
}
