//! The OpenAI API surface: request validation and answer handling.

pub mod chat;
pub mod path;
pub mod response;
pub mod stream;
