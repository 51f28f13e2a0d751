//! Subcommands.

pub mod keys;
pub mod scan;
pub mod serve;
pub mod verify;
