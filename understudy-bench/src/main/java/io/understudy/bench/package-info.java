/**
 * Benchmarks, run from {@code bench/}: each starts real sites (Control Center, agents, PostgreSQL)
 * and prints figures beside a yardstick measured in the same run (DESIGN.md: benchmarks are not
 * tests). Key type: {@link io.understudy.bench.WalShippingBench}.
 */
@NullMarked
package io.understudy.bench;

import org.jspecify.annotations.NullMarked;
