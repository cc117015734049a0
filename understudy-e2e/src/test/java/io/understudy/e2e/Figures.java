package io.understudy.e2e;

import java.util.List;

/** Arithmetic the benchmarks share when they print their figures. */
final class Figures {
    private Figures() {}

    /** The median of {@code values}; 0 when there are none. */
    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? 0 : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** {@code nanos} nanoseconds in seconds. */
    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
