package io.longrun.cli;

import io.longrun.scenario.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Reads {@code 250ms}, {@code 90s}, {@code 15m}, {@code 6h} on the command line. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        Duration d = Durations.parse(value).orElseThrow(() ->
                new CommandLine.TypeConversionException("not a duration: '" + value + "' (write e.g. 250ms, 90s, 15m, 6h)"));
        if (d.isZero()) throw new CommandLine.TypeConversionException("must be greater than 0: '" + value + "'");
        return d;
    }

    /** The same, where 0 means "not at all". */
    static final class OrZero implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            if (value.trim().equals("0")) return Duration.ZERO;
            return Durations.parse(value).orElseThrow(() ->
                    new CommandLine.TypeConversionException("not a duration: '" + value + "' (write e.g. 250ms, 90s, 15m, 6h, or 0)"));
        }
    }
}
