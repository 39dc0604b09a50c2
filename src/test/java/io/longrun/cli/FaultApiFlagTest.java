package io.longrun.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longrun.run.BadInput;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code --fault-api}: its forms, and the default left off with a warning (not a failed start) when its port is taken. */
class FaultApiFlagTest {
    @Test
    void formsOfTheFlag() throws Exception {
        assertThat(FaultApiFlag.parse("9100").address().orElseThrow().host()).isEqualTo("127.0.0.1");
        assertThat(FaultApiFlag.parse("9100").address().orElseThrow().port()).isEqualTo(9100);
        assertThat(FaultApiFlag.parse("0.0.0.0:9101").address().orElseThrow().host()).isEqualTo("0.0.0.0");
        assertThat(FaultApiFlag.parse("[::1]:9102").address().orElseThrow().host()).isEqualTo("::1");
        assertThat(FaultApiFlag.parse("OFF").address()).isEmpty();
        assertThat(FaultApiFlag.parse("off").warning()).isEmpty();
        assertThatThrownBy(() -> FaultApiFlag.parse(":80")).isInstanceOf(BadInput.class);
        assertThatThrownBy(() -> FaultApiFlag.parse("127.0.0.1:-1")).isInstanceOf(BadInput.class);
    }

    @Test
    void aTakenDefaultPortLeavesTheApiOffWithAWarning() throws Exception {
        ServerSocket held = new ServerSocket();
        try {
            held.setReuseAddress(true);
            held.bind(new InetSocketAddress(FaultApiFlag.DEFAULT_HOST, FaultApiFlag.DEFAULT_PORT));
        } catch (java.io.IOException e) {
            // taken already by something else: the same case
        }
        try {
            FaultApiFlag f = FaultApiFlag.parse(null);
            assertThat(f.address()).isEmpty();
            assertThat(f.warning()).contains("the fault API is off: 127.0.0.1:8001 is in use (give another with --fault-api HOST:PORT, or --fault-api off)");
        } finally {
            held.close();
        }
    }
}
