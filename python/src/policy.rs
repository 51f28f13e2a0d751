//! Policies from Python values: a dict, policy text, or a file.

use std::path::{Path, PathBuf};

use lucairn_core::Policy;
use pyo3::exceptions::{PyOSError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::errors::PolicyError;
use crate::text::type_name;

/// How deep a policy given as a dict may nest; real policies use three levels. The limit
/// turns a dict that contains itself into an error instead of a stack overflow.
const MAX_DEPTH: usize = 32;

/// Reads the `policy` argument of `Engine(policy)`.
///
/// - `None`: the default policy.
/// - a `dict` (any mapping): the policy's fields, as in its JSON form.
/// - a `str`: policy text when it contains `{`, `=` or a line break (every JSON or TOML
///   policy that sets anything does), otherwise the path of a policy file. An empty or
///   blank string is the default policy.
/// - an `os.PathLike` (`pathlib.Path`): always a file.
///
/// Files ending in `.json` are read as JSON, `.toml` as TOML; other files are JSON when
/// their first non-blank character is `{`, TOML otherwise.
pub(crate) fn from_py(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Policy> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Policy::default());
    };
    if let Ok(s) = obj.cast::<PyString>() {
        let s = s.to_cow()?;
        return if is_policy_text(&s) { parse_text(&s) } else { read_file(obj.py(), Path::new(&*s), true) };
    }
    if obj.cast::<PyMapping>().is_ok() {
        let value = to_json(obj, "policy", 0)?;
        return serde_json::from_value(value).map_err(|e| PolicyError::new_err(format!("invalid policy: {e}")));
    }
    if obj.hasattr("__fspath__")? {
        let path: PathBuf = obj.extract()?;
        return read_file(obj.py(), &path, false);
    }
    Err(PyTypeError::new_err(format!(
        "policy must be a dict, policy text, a file path or None, not {}",
        type_name(obj)
    )))
}

/// The rule that tells policy text from a file path in a `str`.
pub(crate) fn is_policy_text(s: &str) -> bool {
    s.trim().is_empty() || s.contains(['{', '=', '\n', '\r'])
}

fn parse_text(s: &str) -> PyResult<Policy> {
    Policy::parse(s).map_err(|e| PolicyError::new_err(e.to_string()))
}

/// Reads a policy file; `from_str` says the path came as a `str`, which the error message
/// then explains.
fn read_file(py: Python<'_>, path: &Path, from_str: bool) -> PyResult<Policy> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            let cause = os_error(py, &e, path);
            let reason = cause
                .as_ref()
                .ok()
                .and_then(|c| c.value(py).getattr("strerror").ok())
                .and_then(|s| s.extract::<String>().ok())
                .unwrap_or_else(|| e.to_string());
            let hint = if from_str {
                " (a str without '{', '=' or a line break is taken as a file path; pass policy text, a dict \
                 or a pathlib.Path)"
            } else {
                ""
            };
            let err = PolicyError::new_err(format!(
                "cannot read policy file {:?}: {reason}{hint}",
                path.display().to_string()
            ));
            err.set_cause(py, Some(cause.unwrap_or_else(|e| e)));
            return Err(err);
        }
    };
    let parsed = match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("json") => Policy::from_json(&text),
        Some("toml") => Policy::from_toml(&text),
        _ => Policy::parse(&text),
    };
    parsed.map_err(|e| PolicyError::new_err(format!("policy file {:?}: {e}", path.display().to_string())))
}

/// The `OSError` Python itself would raise (`FileNotFoundError`, `PermissionError` ...,
/// with `errno`, `strerror` and `filename`); `Err` holds a plain conversion when the
/// error has no OS code.
fn os_error(py: Python<'_>, e: &std::io::Error, path: &Path) -> Result<PyErr, PyErr> {
    let Some(code) = e.raw_os_error() else {
        return Err(PyErr::from(std::io::Error::new(e.kind(), e.to_string())));
    };
    let strerror: String = py.import("os")?.call_method1("strerror", (code,))?.extract()?;
    let value = py.get_type::<PyOSError>().call1((code, strerror, path.as_os_str()))?;
    Ok(PyErr::from_value(value))
}

/// A Python value as JSON, for serde. `at` names the value in error messages
/// (`policy["custom"][0]["regex"]`).
fn to_json(obj: &Bound<'_, PyAny>, at: &str, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(PolicyError::new_err(format!(
            "policy nests more than {MAX_DEPTH} levels deep (does a dict or list contain itself?)"
        )));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    // bool before int: `True` is an int in Python.
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.cast::<PyInt>().is_ok() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        return Err(PolicyError::new_err(format!("{at}: integer out of range")));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| PolicyError::new_err(format!("{at}: {} is not a finite number", f.value())));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        let mut out = Vec::new();
        for (i, item) in obj.try_iter()?.enumerate() {
            out.push(to_json(&item?, &format!("{at}[{i}]"), depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    if let Ok(m) = obj.cast::<PyMapping>() {
        let mut out = Map::new();
        for item in m.items()?.iter() {
            let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
            let Ok(key) = k.cast::<PyString>() else {
                return Err(PyTypeError::new_err(format!("{at}: keys must be str, not {}", type_name(&k))));
            };
            let key = key.to_cow()?.into_owned();
            let value = to_json(&v, &format!("{at}[{key:?}]"), depth + 1)?;
            out.insert(key, value);
        }
        return Ok(Value::Object(out));
    }
    Err(PyTypeError::new_err(format!(
        "{at}: a policy holds only dicts, lists, str, int, float, bool and None, not {}",
        type_name(obj)
    )))
}

/// JSON as Python values (for `Engine.policy`).
pub(crate) fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => {
            let items = a.iter().map(|x| to_py(py, x)).collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        Value::Object(o) => {
            let d = PyDict::new(py);
            for (k, x) in o {
                d.set_item(k, to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::is_policy_text;

    #[test]
    fn policy_text_or_path() {
        for text in ["", "  ", "{}", r#"{"threshold": 0.7}"#, "threshold = 0.7", "[thresholds]\nURL = 0.9", "a\n"] {
            assert!(is_policy_text(text), "{text:?}");
        }
        for path in ["policy.toml", "/etc/lucairn/policy.json", "C:\\policies\\p.toml", "rules"] {
            assert!(!is_policy_text(path), "{path:?}");
        }
    }
}
