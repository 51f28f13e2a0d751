//! The OpenAI API surface: request validation and answer handling.

pub(crate) mod chat;
pub(crate) mod path;
pub(crate) mod response;
pub(crate) mod stream;
