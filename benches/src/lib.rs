//! Benchmark suites live in `benches/`; guest programs in `guests/`.
