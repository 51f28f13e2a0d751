//! The Lucairn gateway as a library: the `lucairn` binary's modules.
//!
//! The binary (`src/main.rs`) is the supported interface; this library exists so that the
//! fuzz targets and benchmarks can reach the request, SSE and certificate parsers directly.
//! Nothing here is a stable API.

// The JSON walkers report "malformed" as `Err(())`: their callers own the error message.
#![allow(clippy::result_unit_err)]

pub mod anthropic;
pub mod auth;
pub mod cli;
pub mod config;
pub mod error;
pub mod json;
pub mod ledger;
pub mod limits;
pub mod metrics;
pub mod openai;
pub mod pipeline;
pub mod routes;
pub mod secrets;
pub mod server;
pub mod sse;
pub mod store;
pub mod upstream;
pub mod util;
