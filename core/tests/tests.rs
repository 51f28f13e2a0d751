//! Integration tests of lucairn-core, one binary.

/// Certificates: signing, verification, tampering, chains, test vectors.
mod cert;
/// Per-detector tables of valid values and look-alikes.
mod detectors;
/// Scanning invariants: spans on char boundaries, no overlaps, odd inputs.
mod invariants;
/// Public types are Send + Sync + UnwindSafe.
mod oibits;
/// Policies: parsing, digests, build errors.
mod policy;
/// Conformance with Microsoft Presidio's recognizer tests, per entity type.
mod presidio;
/// Region packs, and the region families at the default threshold.
mod regions;
/// Sanitisation, placeholders, re-linking, output scanning, mapping tokens.
mod sanitize;
/// Streams: any chunking gives the whole-text output.
mod stream;
