//! `lucairn scan` and `lucairn redact`.

use std::fs;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use lucairn_core::{Engine, Finding, Policy};
use serde::Serialize;
use serde_json::Value;

/// How the input is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Each file is one text.
    Text,
    /// One JSON object per line; the text is in `--field`.
    Jsonl,
}

/// How findings are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A table for people.
    Table,
    /// One JSON object per finding (or per input line with `--input jsonl`).
    Jsonl,
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files to read; standard input when none is given.
    files: Vec<PathBuf>,
    /// Policy file (JSON or TOML).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Input format.
    #[arg(long, value_enum, default_value_t = InputFormat::Text)]
    input: InputFormat,
    /// With `--input jsonl`: the field that holds the text.
    #[arg(long, default_value = "text")]
    field: String,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// Exit with status 1 when anything is found.
    #[arg(long)]
    fail_on_findings: bool,
}

#[derive(Debug, Args)]
pub struct RedactArgs {
    #[command(flatten)]
    input: InputArgs,
}

fn engine(policy: Option<&Path>) -> Result<Engine> {
    let policy = match policy {
        None => Policy::default(),
        Some(p) => {
            let s = fs::read_to_string(p).with_context(|| format!("cannot read policy {}", p.display()))?;
            Policy::parse(&s).with_context(|| format!("policy {}", p.display()))?
        }
    };
    Ok(Engine::new(policy)?)
}

/// One source of input: a named file or standard input.
struct Source {
    name: Option<String>,
    data: Vec<u8>,
}

fn sources(files: &[PathBuf]) -> Result<Vec<Source>> {
    if files.is_empty() {
        let mut data = Vec::new();
        io::stdin().lock().read_to_end(&mut data).context("cannot read standard input")?;
        return Ok(vec![Source { name: None, data }]);
    }
    files
        .iter()
        .map(|p| {
            let data = fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
            Ok(Source { name: Some(p.display().to_string()), data })
        })
        .collect()
}

fn as_text<'a>(src: &'a Source, what: &str) -> Result<&'a str> {
    std::str::from_utf8(&src.data).map_err(|e| {
        anyhow::anyhow!("{} is not valid UTF-8 (at byte {})", src.name.as_deref().unwrap_or(what), e.valid_up_to())
    })
}

/// Calls `f(id, text, line)` for each JSON line of `src`, where `line` is the parsed
/// object so callers can write it back.
fn each_json_line(
    src: &Source,
    field: &str,
    mut f: impl FnMut(Option<&Value>, &str, &mut serde_json::Map<String, Value>) -> Result<()>,
) -> Result<()> {
    let name = src.name.as_deref().unwrap_or("stdin");
    for (i, line) in src.data.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let mut obj: serde_json::Map<String, Value> = match serde_json::from_slice(line) {
            Ok(Value::Object(o)) => o,
            Ok(_) => bail!("{name}:{}: not a JSON object", i + 1),
            Err(e) => bail!("{name}:{}: invalid JSON: {e}", i + 1),
        };
        let text = match obj.get(field) {
            Some(Value::String(s)) => s.clone(),
            Some(_) => bail!("{name}:{}: field {field:?} is not a string", i + 1),
            None => bail!("{name}:{}: no field {field:?}", i + 1),
        };
        let id = obj.get("id").cloned();
        f(id.as_ref(), &text, &mut obj)?;
    }
    Ok(())
}

/// Shows a value on one line: control characters escaped, long values shortened.
fn display_value(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == 60 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A finding as printed by `--format jsonl`, fields in this order.
#[derive(Serialize)]
struct FindingOut<'a> {
    kind: &'a str,
    start: usize,
    end: usize,
    score: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
}

impl<'a> FindingOut<'a> {
    fn new(engine: &'a Engine, f: &Finding) -> FindingOut<'a> {
        FindingOut {
            kind: engine.kind_name(f.kind),
            start: f.span.start,
            end: f.span.end,
            score: (f64::from(f.score) * 1000.0).round() / 1000.0,
            text: None,
            file: None,
        }
    }
}

/// One line of `--input jsonl --format jsonl` output.
#[derive(Serialize)]
struct LineOut<'a> {
    id: Value,
    findings: Vec<FindingOut<'a>>,
}

fn json_line(out: &mut impl Write, v: &impl Serialize) -> Result<()> {
    serde_json::to_writer(&mut *out, v)?;
    out.write_all(b"\n")?;
    Ok(())
}

pub fn scan(args: &ScanArgs) -> Result<ExitCode> {
    let engine = engine(args.input.policy.as_deref())?;
    let srcs = sources(&args.input.files)?;
    if args.input.input == InputFormat::Text {
        for src in &srcs {
            as_text(src, "standard input")?;
        }
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut any = false;
    let mut findings = Vec::new();
    let table = args.format == OutputFormat::Table;
    // The table header comes with the first row, so errors leave stdout empty.
    let mut header = table;
    let mut row = |out: &mut BufWriter<io::StdoutLock<'_>>, f: &Finding, label: &str, value: &str| -> Result<()> {
        if std::mem::take(&mut header) {
            writeln!(out, "{:<28} {:>10} {:>10} {:>6}  VALUE", "KIND", "START", "END", "SCORE")?;
        }
        let kind = engine.kind_name(f.kind);
        let v = display_value(value);
        writeln!(out, "{kind:<28} {:>10} {:>10} {:>6.2}  {label}{v}", f.span.start, f.span.end, f.score)?;
        Ok(())
    };
    for src in &srcs {
        let prefix = src.name.as_deref().map(|n| format!("{n}:")).unwrap_or_default();
        match args.input.input {
            InputFormat::Text => {
                let text = as_text(src, "standard input")?;
                engine.scan_into(text, &mut findings);
                any |= !findings.is_empty();
                for f in &findings {
                    if table {
                        row(&mut out, f, &prefix, f.as_str(text))?;
                    } else {
                        let line = FindingOut {
                            text: Some(f.as_str(text)),
                            file: src.name.as_deref(),
                            ..FindingOut::new(&engine, f)
                        };
                        json_line(&mut out, &line)?;
                    }
                }
            }
            InputFormat::Jsonl => {
                each_json_line(src, &args.input.field, |id, text, _| {
                    engine.scan_into(text, &mut findings);
                    any |= !findings.is_empty();
                    if table {
                        let label = format!("{prefix}{} ", id.map(|v| v.to_string()).unwrap_or_default());
                        for f in &findings {
                            row(&mut out, f, &label, f.as_str(text))?;
                        }
                    } else {
                        let findings = findings.iter().map(|f| FindingOut::new(&engine, f)).collect();
                        json_line(&mut out, &LineOut { id: id.cloned().unwrap_or(Value::Null), findings })?;
                    }
                    Ok(())
                })?;
            }
        }
    }
    out.flush()?;
    Ok(if any && args.fail_on_findings { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

pub fn redact(args: &RedactArgs) -> Result<ExitCode> {
    let engine = engine(args.input.policy.as_deref())?;
    let srcs = sources(&args.input.files)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut findings = Vec::new();
    for src in &srcs {
        match args.input.input {
            InputFormat::Text => {
                let text = as_text(src, "standard input")?;
                engine.scan_into(text, &mut findings);
                out.write_all(engine.redact_with(text, &findings).as_bytes())?;
            }
            InputFormat::Jsonl => {
                each_json_line(src, &args.input.field, |_, text, obj| {
                    engine.scan_into(text, &mut findings);
                    obj.insert(args.input.field.clone(), Value::String(engine.redact_with(text, &findings)));
                    writeln!(out, "{}", Value::Object(std::mem::take(obj)))?;
                    Ok(())
                })?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
