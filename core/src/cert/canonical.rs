//! Canonical JSON (RFC 8785, JCS) for the documents we sign.
//!
//! Certificates contain only objects, arrays, strings, integers, booleans and `null`, so
//! the subset of JCS implemented here is complete for them: no white space; object
//! members sorted by their names compared as UTF-16 code units; strings escaped as
//! ECMAScript's `JSON.stringify` does (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other
//! control characters as `\u00xx` with lower-case hex, everything else literal); integers
//! in plain decimal. A number that is not an integer of magnitude below 2^53 is refused,
//! since its JCS form would need ECMAScript's float formatting.

//!
//! Certificates write their canonical form directly (`Certificate::canonical`); the
//! generic [`write`] over a `serde_json::Value` is the reference it is tested against.

#[cfg(test)]
use serde_json::Value;

/// Largest integer JCS represents exactly.
#[cfg(test)]
const MAX_SAFE: u64 = (1 << 53) - 1;

/// Appends the canonical form of `v` to `out`; `Err` names a number outside the subset.
#[cfg(test)]
pub(crate) fn write(v: &Value, out: &mut Vec<u8>) -> Result<(), String> {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) => {
            if let Some(u) = n.as_u64().filter(|&u| u <= MAX_SAFE) {
                out.extend_from_slice(u.to_string().as_bytes());
            } else if let Some(i) = n.as_i64().filter(|i| i.unsigned_abs() <= MAX_SAFE) {
                out.extend_from_slice(i.to_string().as_bytes());
            } else {
                return Err(format!("number {n} is not an integer below 2^53"));
            }
        }
        Value::String(s) => string(s, out),
        Value::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(x, out)?;
            }
            out.push(b']');
        }
        Value::Object(m) => {
            let mut members: Vec<(&String, &Value)> = m.iter().collect();
            members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push(b'{');
            for (i, (k, x)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(k, out);
                out.push(b':');
                write(x, out)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

pub(crate) fn string(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let b = s.as_bytes();
    let mut last = 0;
    for (i, &c) in b.iter().enumerate() {
        let esc: Option<&[u8]> = match c {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            0x08 => Some(b"\\b"),
            0x0c => Some(b"\\f"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            0..=0x1f => None,
            _ => continue,
        };
        out.extend_from_slice(&b[last..i]);
        match esc {
            Some(e) => out.extend_from_slice(e),
            None => {
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[usize::from(c >> 4)], HEX[usize::from(c & 15)]])
            }
        }
        last = i + 1;
    }
    out.extend_from_slice(&b[last..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(json: &str) -> String {
        let v: Value = serde_json::from_str(json).expect("json");
        let mut out = Vec::new();
        write(&v, &mut out).expect("canonical");
        String::from_utf8(out).expect("utf8")
    }

    #[test]
    fn sorts_and_compacts() {
        assert_eq!(
            canon(r#"{ "b": [1, true, null], "a": {"z": "x", "y": -3} }"#),
            r#"{"a":{"y":-3,"z":"x"},"b":[1,true,null]}"#
        );
    }

    #[test]
    fn escapes_like_ecmascript() {
        assert_eq!(
            canon(r#""a\"b\\c\/d\u0001\u001f\b\f\n\r\t\u007f é 😀""#),
            "\"a\\\"b\\\\c/d\\u0001\\u001f\\b\\f\\n\\r\\t\u{7f} é 😀\""
        );
    }

    #[test]
    fn sorts_by_utf16_units() {
        // RFC 8785 3.2.3: U+E000 (one unit) sorts after U+1F600 (surrogates D83D DE00).
        assert_eq!(canon("{\"\u{e000}\":1,\"\u{1f600}\":2}"), "{\"\u{1f600}\":2,\"\u{e000}\":1}");
    }

    #[test]
    fn refuses_non_integers() {
        let v: Value = serde_json::from_str("[1.5]").expect("json");
        assert!(write(&v, &mut Vec::new()).is_err());
        let v: Value = serde_json::from_str("[9007199254740992]").expect("json");
        assert!(write(&v, &mut Vec::new()).is_err());
    }
}
