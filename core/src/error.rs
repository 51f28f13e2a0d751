//! Errors.

use core::fmt;

/// An error building an [`Engine`](crate::Engine) from a policy.
///
/// Searching cannot fail once an engine is built: every check happens here. The message
/// names the offending policy entry.
#[derive(Clone, Debug)]
pub struct BuildError {
    kind: BuildErrorKind,
}

#[derive(Clone, Debug)]
pub(crate) enum BuildErrorKind {
    Parse(String),
    UnknownKind { field: &'static str, name: String },
    InvalidKindName { field: &'static str, name: String },
    Threshold { field: String, value: f32 },
    Regex { index: usize, kind: String, message: String },
    EmptyCustom { index: usize, kind: String },
    EmptyTerm { field: &'static str, index: usize },
    TooManyKinds,
    UnknownRegion { name: String },
}

impl BuildError {
    pub(crate) fn new(kind: BuildErrorKind) -> BuildError {
        BuildError { kind }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use BuildErrorKind::*;
        match &self.kind {
            Parse(m) => write!(f, "invalid policy: {m}"),
            UnknownKind { field, name } => write!(f, "policy.{field}: unknown kind {name:?}"),
            InvalidKindName { field, name } => write!(
                f,
                "policy.{field}: kind name {name:?} must be UPPER_SNAKE_CASE (A-Z, 0-9, _), 1 to 64 characters"
            ),
            Threshold { field, value } => {
                write!(f, "policy.{field}: threshold {value} is outside [0, 1]")
            }
            Regex { index, kind, message } => {
                write!(f, "policy.custom[{index}] ({kind}): invalid regex: {message}")
            }
            EmptyCustom { index, kind } => {
                write!(f, "policy.custom[{index}] ({kind}): needs a non-empty `regex` or `words`")
            }
            EmptyTerm { field, index } => write!(f, "policy.{field}[{index}]: empty term"),
            TooManyKinds => write!(f, "policy defines more than 65535 custom kinds"),
            UnknownRegion { name } => write!(
                f,
                "policy.regions: unknown region {name:?} (known: all, {})",
                crate::detectors::region::PACKS.join(", ")
            ),
        }
    }
}

impl std::error::Error for BuildError {}
