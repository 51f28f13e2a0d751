//! Integration tests of the `lucairn` binary, one test binary.

/// `lucairn scan` and `lucairn redact`: formats, exit codes, errors.
mod cli;
/// Keys, first start, configuration, health, metrics, shutdown.
mod gateway_admin;
/// The bad-input table, authentication, revocation, upstream failures.
mod gateway_errors;
/// Several gateways sharing one store: PostgreSQL (with `LUCAIRN_TEST_DATABASE_URL`), an SQLite file.
mod gateway_postgres;
/// Sanitisation of every field, byte-faithful forwarding, tiers, certificates.
mod gateway_proxy;
/// `/v1/sanitize` and `/v1/relink`: explicit field routing, re-link tokens.
mod gateway_sanitize;
/// `stream: true`: checked chunks, the closing certificate event, failures, disconnects.
mod gateway_stream;
/// A gateway process, a recording mock upstream, a raw HTTP client.
mod support;
