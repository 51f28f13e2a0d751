//! Corpus generators for the benchmarks.
