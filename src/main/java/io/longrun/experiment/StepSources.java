package io.longrun.experiment;

import java.util.OptionalDouble;

/**
 * What a phase's {@code until:} reads, all from what the run already watches: no polling of its own on the target.
 * Every method is cheap except {@link #sql}, which the caller paces.
 */
public interface StepSources {
    /** Events accepted so far in the run, all emitters. */
    long acceptedNow();

    /** How many of the latest health checks in a row had this outcome (0 when the latest did not, or none ran yet). */
    int healthStreak(boolean up);

    /** How many lines of the watched logs have matched this regular expression so far (it must be one the log watcher was given). */
    long logMatches(String regex);

    /** A metric of longrun's own, summed over its labels; empty when there is no such metric (or no registry). */
    OptionalDouble metric(String name);

    /** Runs the query against the database (a short statement timeout): whether its first column of its first row is true or non-zero. */
    boolean sql(String query) throws Exception;

    /** Nothing to read: conditions never hold. For tests of phases without steps. */
    StepSources NONE = new StepSources() {
        public long acceptedNow() {
            return 0;
        }

        public int healthStreak(boolean up) {
            return 0;
        }

        public long logMatches(String regex) {
            return 0;
        }

        public OptionalDouble metric(String name) {
            return OptionalDouble.empty();
        }

        public boolean sql(String query) {
            return false;
        }
    };
}
