package io.longrun.verify;

/**
 * One assertion's result: whether it passed, what was observed against what was expected, how long it took, and
 * the error when it could not be checked (an SQL error fails the assertion: nothing was shown to hold).
 */
public record AssertionResult(String name, String kind, String description, boolean passed, String observed, String expected,
                              String error, long millis) {}
