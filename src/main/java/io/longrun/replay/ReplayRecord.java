package io.longrun.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One recorded event: when it happened, its body (a JSON object, or raw bytes with their content type), and where
 * it came from (file and line), for error messages.
 */
record ReplayRecord(Instant time, ObjectNode json, byte[] raw, String contentType, String file, long line, String timestampPath) {}
