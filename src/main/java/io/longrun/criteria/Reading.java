package io.longrun.criteria;

/**
 * What a rule read from one sample: whether its condition holds, the observed value beside the threshold, and
 * a sentence for people. A rule that has nothing to say about a sample returns null instead.
 */
public record Reading(boolean breached, double observed, double threshold, String text) {}
