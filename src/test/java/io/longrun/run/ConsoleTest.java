package io.longrun.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleTest {
    static final long S = 1_000_000_000L;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onATerminalTheProgressLineIsRedrawnInPlaceAndAlertsGetTheirOwnLine() {
        Console c = new Console(out, true, false);
        c.progress("[1s/1m] a", 1 * S);
        c.progress("[2s/1m] b", 2 * S);
        c.line("ALERT x");
        c.progress("[3s/1m] c", 3 * S);
        c.closeProgress();
        assertThat(text()).isEqualTo("\r\033[K[1s/1m] a\r\033[K[2s/1m] b\nALERT x\n\r\033[K[3s/1m] c\n");
    }

    @Test
    void elsewhereAPlainLineEveryTenSeconds() {
        Console c = new Console(out, false, false);
        for (int s = 0; s <= 25; s++) c.progress("t=" + s, s * S);
        assertThat(text().lines()).containsExactly("t=0", "t=10", "t=20");
    }

    @Test
    void quietLeavesOutProgressButNotAlerts() {
        Console c = new Console(out, true, true);
        c.progress("[1s/1m] a", S);
        c.line("ALERT x");
        assertThat(text()).isEqualTo("ALERT x\n");
    }
}
