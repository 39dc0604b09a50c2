package io.longrun.experiment;

import io.longrun.deliver.Histograms;

import static org.assertj.core.api.Assertions.assertThat;

import io.longrun.deliver.Outcomes;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The tick histograms read without HdrHistogram's decoder give exactly what its decoder gives. */
class HistDecoderTest {
    @Test
    void everyCountLandsWhereHdrHistogramsOwnDecoderPutsIt() throws Exception {
        SplittableRandom rnd = new SplittableRandom(7);
        HistDecoder d = new HistDecoder();
        for (int round = 0; round < 200; round++) {
            Histogram h = Histograms.empty();
            int n = rnd.nextInt(1, 400);
            for (int i = 0; i < n; i++) {
                // from 1 µs to beyond the range's top (an hour), mostly milliseconds to seconds
                long v = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextLong(1, 2048);
                    case 1 -> rnd.nextLong(1_000, 500_000);
                    case 2 -> rnd.nextLong(500_000, 60_000_000);
                    default -> rnd.nextLong(60_000_000, 3_600_000_000L);
                };
                h.recordValueWithCount(v, rnd.nextInt(1, 1000));
            }
            String text = Histograms.encode(h);
            Histogram mine = Histograms.empty(), theirs = Histograms.decode(text);
            HistDecoder.Pairs pairs = new HistDecoder.Pairs();
            assertThat(d.addTo(text, pairs, mine, null)).isEqualTo(h.getTotalCount());
            assertThat(mine).as("round %d", round).isEqualTo(theirs);
            for (double pct : new double[] {50, 95, 99, 100})
                assertThat(pairs.percentile(pct)).as("round %d, p%s", round, pct).isEqualTo((double) h.getValueAtPercentile(pct));
        }
    }

    @Test
    void aTicksPercentilesMergeItsEmittersExactly() {
        SplittableRandom rnd = new SplittableRandom(11);
        HistDecoder d = new HistDecoder();
        HistDecoder.Pairs pairs = new HistDecoder.Pairs();
        Histogram all = Histograms.empty();
        for (int e = 0; e < 3; e++) {
            Histogram h = Histograms.empty();
            for (int i = 0; i < 300; i++) h.recordValue(rnd.nextLong(500, 400_000 * (e + 1)));
            all.add(h);
            d.addTo(Histograms.encode(h), pairs);
        }
        for (double pct : new double[] {50, 95, 99})
            assertThat(pairs.percentile(pct)).isEqualTo((double) all.getValueAtPercentile(pct));
    }

    @Test
    void textThatIsNotAnEncodingAddsNothing() {
        Histogram h = Histograms.empty();
        HistDecoder d = new HistDecoder();
        assertThat(d.addTo("not base64!", null, h)).isEqualTo(-1);
        assertThat(d.addTo("AAAAAAAAAAAAAAAA", null, h)).isEqualTo(-1);
        assertThat(h.getTotalCount()).isZero();
    }
}
