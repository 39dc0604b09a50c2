package io.longrun.generate;

import io.longrun.random.SplitMix;
import io.longrun.scenario.Scenario.FormatOptions;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Seed 000's {@code syslog}: {@code batch_size} lines as {@code text/plain}, RFC 5424 by default
 * ({@code <PRI>1 TIMESTAMP HOST APP PROCID MSGID - MSG}) or RFC 3164 ({@code <PRI>Mmm dd hh:mm:ss HOST TAG: MSG}).
 * The facility is local0; the severity follows the level. A partial line has {@code -} for its timestamp and host
 * (5424) or leaves out the timestamp (3164).
 */
final class Syslog implements EventFormat {
    private static final Map<String, Integer> SEVERITY = Map.of("CRITICAL", 2, "ERROR", 3, "WARN", 4, "INFO", 6, "DEBUG", 7);
    private static final int LOCAL0 = 16;
    private static final DateTimeFormatter RFC3164 = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private final LogRecords records;
    private final FormatOptions o;

    Syslog(FormatOptions o) {
        this.o = o;
        this.records = new LogRecords(o);
    }

    @Override
    public String contentType() {
        return "text/plain";
    }

    @Override
    public byte[] render(EventContext c) {
        SplitMix.Stream r = c.random();
        StringBuilder b = new StringBuilder(160 * o.batchSize());
        for (int i = 0; i < o.batchSize(); i++) {
            LogRecords.Record rec = records.next(c, r, o.partialRatio());
            String level = rec.level() == null ? "INFO" : rec.level();
            int pri = LOCAL0 * 8 + SEVERITY.getOrDefault(level, 6);
            String msg = rec.msg() == null ? "" : rec.msg();
            boolean partial = rec.ts() == null || rec.level() == null || rec.msg() == null;
            if (o.syslog() == 3164) {
                b.append('<').append(pri).append('>');
                if (!partial) b.append(RFC3164.format(c.now())).append(' ');
                b.append(rec.host()).append(' ').append(rec.service()).append('[').append(1000 + r.nextInt(9000)).append("]: ").append(msg);
            } else {
                b.append('<').append(pri).append(">1 ").append(partial ? "-" : rec.ts()).append(' ').append(partial ? "-" : rec.host())
                        .append(' ').append(rec.service()).append(' ').append(1000 + r.nextInt(9000)).append(' ')
                        .append(rec.method()).append(" - ").append(msg);
            }
            b.append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
