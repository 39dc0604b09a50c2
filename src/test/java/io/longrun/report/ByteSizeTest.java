package io.longrun.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sizes on the command line: multiples of 1024, never a bare number. */
class ByteSizeTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "50GB, 53687091200",
            "50gb, 53687091200",
            "50GiB, 53687091200",
            "500MB, 524288000",
            "1.5TB, 1649267441664",
            "64kB, 65536",
            "2 G, 2147483648",
            "100B, 100",
    })
    void readsASizeWithItsUnit(String text, long bytes) {
        assertThat(ByteSize.parse(text)).contains(bytes);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource({"50", "GB", "-5GB", "5 PB", "lots", "1e3MB", "''"})
    void refusesWhatIsNotASize(String text) {
        assertThat(ByteSize.parse(text)).isEqualTo(Optional.empty());
    }
}
