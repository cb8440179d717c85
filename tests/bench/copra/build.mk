# Copra-side benchmarks (benchmark images only; the harness is tests/bench/run-bench).
kernel-$(CONFIG_BENCH) += tests/bench/copra/mm_bench.c
kernel-$(CONFIG_BENCH) += tests/bench/copra/smp_bench.c
kernel-$(CONFIG_BENCH) += tests/bench/copra/user_bench.c
kernel-$(CONFIG_BENCH) += tests/bench/copra/vtpm_bench.c
