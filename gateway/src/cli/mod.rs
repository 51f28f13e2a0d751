//! Subcommands that run without a server.

pub(crate) mod scan;
