package io.longrun.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bucketing keeps each column's meaning when the buckets merge. */
class BucketsTest {
    @Test
    void mergesNeighboursWhenFullKeepingSumsHighestAndLastValues() {
        Buckets b = new Buckets(0, 1, 4, Buckets.Agg.SUM, Buckets.Agg.MAX, Buckets.Agg.LAST, Buckets.Agg.MEAN);
        // one sample per second, t = 0..7: the 4 buckets of 1 s fill at t = 3, so t = 4 doubles the width, t = ... 7 fits in 2 s buckets
        for (int t = 0; t < 8; t++) b.add(t, 1, t % 3, 100 + t, t);
        assertThat(b.width()).isEqualTo(2);
        double[][] p = b.points();
        assertThat(p[0]).containsExactly(0.5, 2.5, 4.5, 6.5);  // mean sample time per bucket
        assertThat(p[1]).containsExactly(2, 2, 2, 2);          // counts summed
        assertThat(p[2]).containsExactly(1, 2, 2, 1);          // highest of (0,1) (2,0) (1,2) (0,1)
        assertThat(p[3]).containsExactly(101, 103, 105, 107);  // the later sample's value
        assertThat(p[4]).containsExactly(0.5, 2.5, 4.5, 6.5);  // means
    }

    @Test
    void aMissingValueIsAGapNotAZero() {
        Buckets b = new Buckets(0, 1, 4, Buckets.Agg.MAX, Buckets.Agg.SUM);
        b.add(0, Double.NaN, 1);
        b.add(2, 5, Double.NaN);
        double[][] p = b.points();
        assertThat(p[0]).containsExactly(0, 2);
        assertThat(p[1][0]).isNaN();
        assertThat(p[1][1]).isEqualTo(5);
        assertThat(p[2][0]).isEqualTo(1);
        assertThat(p[2][1]).isNaN();
    }

    @Test
    void anyNumberOfSamplesFitsTheSameBuckets() {
        Buckets b = new Buckets(0, 1, 100, Buckets.Agg.SUM);
        for (int t = 0; t < 6 * 3600; t++) b.add(t, 1);
        double[][] p = b.points();
        assertThat(p[0].length).isLessThanOrEqualTo(100);
        double total = 0;
        for (double v : p[1]) total += v;
        assertThat(total).isEqualTo(6 * 3600);
        assertThat(b.width()).isEqualTo(256); // the first power of two with 21,600 s in 100 buckets
    }

    @Test
    void aSampleStampedBeforeTheStartGoesInTheFirstBucket() {
        Buckets b = new Buckets(10, 1, 4, Buckets.Agg.LAST);
        b.add(9.5, 1);
        b.add(10.2, 2);
        double[][] p = b.points();
        assertThat(p[0]).hasSize(1);
        assertThat(p[1]).containsExactly(2);
    }
}
