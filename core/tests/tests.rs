//! Integration tests of lucairn-core, one binary.

/// Per-detector tables of valid values and look-alikes.
mod detectors;
/// Scanning invariants: spans on char boundaries, no overlaps, odd inputs.
mod invariants;
/// Public types are Send + Sync + UnwindSafe.
mod oibits;
/// Policies: parsing, digests, build errors.
mod policy;
