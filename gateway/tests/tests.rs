//! Integration tests of the `lucairn` binary, one test binary.

/// `lucairn scan` and `lucairn redact`: formats, exit codes, errors.
mod cli;
/// Keys, first start, configuration, health, metrics, shutdown.
mod gateway_admin;
/// `/v1/messages` (Anthropic): sanitisation, tiers, errors, streamed events.
mod gateway_anthropic;
/// `/v1/embeddings`, and 404 for every other `/v1/*` path.
mod gateway_embeddings;
/// The bad-input table, authentication, revocation, upstream failures.
mod gateway_errors;
/// Limits, slow clients, disconnects, upstream faults, shutdown, kill -9 under load.
mod gateway_faults;
/// Several gateways sharing one store: PostgreSQL (with `LUCAIRN_TEST_DATABASE_URL`), an SQLite file.
mod gateway_postgres;
/// Sanitisation of every field, byte-faithful forwarding, tiers, certificates.
mod gateway_proxy;
/// `/v1/sanitize` and `/v1/relink`: explicit field routing, re-link tokens.
mod gateway_sanitize;
/// Keys and values kept out of logs and storage, certificate ids, headers, smuggling,
/// HTTPS, tenant isolation.
mod gateway_security;
/// `stream: true`: checked chunks, the closing certificate event, failures, disconnects.
mod gateway_stream;
/// Certificates record upstream failures: error statuses, no answer, broken streams.
mod gateway_upstream_errors;
/// A gateway process, a recording mock upstream, a raw HTTP client.
mod support;
