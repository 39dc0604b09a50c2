package io.longrun.chaos;

import io.longrun.generate.EventFormat;
import io.longrun.generate.Formats;
import io.longrun.scenario.Scenario.FormatOptions;
import io.longrun.scenario.StreamFault;
import java.util.Optional;

/** The event format of an {@code inject} fault's extra events: a format by name, or a template. */
public final class Injections {
    private Injections() {}

    public static EventFormat format(StreamFault f) {
        StreamFault.Injection i = f.inject();
        if (i.template() != null) {
            FormatOptions d = FormatOptions.DEFAULT;
            return Formats.create("template", new FormatOptions(d.batchSize(), d.partialRatio(), d.chaos(), d.levels(), d.header(),
                    d.syslog(), Optional.of(i.template()), d.service()));
        }
        return Formats.create(i.format(), FormatOptions.DEFAULT);
    }
}
