//! Subcommands.

pub(crate) mod keys;
pub(crate) mod scan;
pub(crate) mod serve;
pub(crate) mod verify;
