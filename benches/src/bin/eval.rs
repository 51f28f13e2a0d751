//! Detection quality on the labelled corpus: per-kind precision, recall and F1 under exact
//! and overlap matching, micro averages, redaction recall and throughput.
//!
//! ```sh
//! cargo run --release -p lucairn-benches --bin eval -- benches/corpus/test.jsonl
//! cargo run --release -p lucairn-benches --bin eval -- benches/corpus/dev.jsonl --policy my-policy.toml --json
//! ```
//!
//! With `--predictions FILE` the findings are read from a file instead of produced by the
//! engine, so other systems (see `benches/presidio/`) are scored by this same code. The
//! file is JSON lines: an optional first line `{"meta": {"name": "...", "scan_seconds":
//! 1.5, "note": "..."}}`, then one `{"id": "...", "findings": [{"kind": "PERSON",
//! "start": 3, "end": 9}]}` per record, with offsets in characters (code points), as the
//! corpus's `start` and `end`. Records without a line have no findings.
//!
//! Scoring (see `benches/EVAL.md`):
//!
//! - A finding whose kind has gold labels in the corpus (PERSON, IBAN, ...) is judged
//!   against the gold spans of that kind only, and is a false positive of its own kind
//!   when it matches none. Findings of other kinds (DATE_TIME, POSTAL_CODE ...) are
//!   counted apart and not scored.
//! - Exact matching: same start and end. Overlap matching: at least one shared byte;
//!   precision counts findings that overlap a gold span of their kind, recall counts gold
//!   spans overlapped by a finding of their kind.
//! - Redaction recall: the share of the non-blank characters inside gold spans that lie
//!   inside a finding of any kind, scored or not.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::process::ExitCode;
use std::time::Instant;

use lucairn_core::{Engine, Policy};
use serde_json::{Value, json};

/// The kinds the corpus labels, in table order.
const KINDS: &[&str] = &[
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "STREET_ADDRESS",
    "LOCATION",
    "CREDIT_CARD",
    "IBAN",
    "IP_ADDRESS",
    "URL",
    "DATE_OF_BIRTH",
    "MEDICAL_CONDITION",
    "MEDICATION",
    "US_SSN",
    "UK_NHS",
];

/// Minimum wall-clock time spent on the throughput passes.
const MIN_TIMING_SECONDS: f64 = 1.0;

const USAGE: &str = "usage: eval CORPUS.jsonl [--policy FILE] [--predictions FILE] [--json] [--errors KIND|all]";

/// A labelled or found span, in bytes of the record's text.
#[derive(Clone, Debug)]
struct Span {
    kind: String,
    start: usize,
    end: usize,
}

impl Span {
    fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

#[derive(Debug)]
struct Record {
    id: String,
    lang: String,
    text: String,
    gold: Vec<Span>,
}

#[derive(Debug)]
struct Args {
    corpus: String,
    policy: Option<String>,
    predictions: Option<String>,
    json: bool,
    errors: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut corpus = None;
    let mut policy = None;
    let mut predictions = None;
    let mut json = false;
    let mut errors = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--json" => json = true,
            "--policy" => policy = Some(args.next().ok_or("--policy needs a file")?),
            "--predictions" => predictions = Some(args.next().ok_or("--predictions needs a file")?),
            "--errors" => errors = Some(args.next().ok_or("--errors needs a kind or \"all\"")?),
            "-h" | "--help" => return Err(USAGE.to_string()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n{USAGE}")),
            _ if corpus.is_none() => corpus = Some(a),
            _ => return Err(format!("unexpected argument {a}\n{USAGE}")),
        }
    }
    if policy.is_some() && predictions.is_some() {
        return Err("--policy and --predictions exclude each other".to_string());
    }
    Ok(Args { corpus: corpus.ok_or(USAGE)?, policy, predictions, json, errors })
}

fn field<'a>(v: &'a Value, key: &str, line: usize) -> Result<&'a Value, String> {
    v.get(key).ok_or_else(|| format!("line {line}: missing field {key:?}"))
}

fn str_field(v: &Value, key: &str, line: usize) -> Result<String, String> {
    field(v, key, line)?.as_str().map(str::to_string).ok_or_else(|| format!("line {line}: {key:?} is not a string"))
}

fn usize_field(v: &Value, key: &str, line: usize) -> Result<usize, String> {
    field(v, key, line)?
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| format!("line {line}: {key:?} is not an offset"))
}

/// Byte offset of every character boundary: `table[i]` is the byte where character `i`
/// starts, and `table[chars]` is the text's length.
fn char_to_byte(text: &str) -> Vec<usize> {
    text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect()
}

/// Reads the corpus and checks that every span's byte and character offsets select its
/// value.
fn read_corpus(path: &str) -> Result<Vec<Record>, String> {
    let data = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for (i, line) in data.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| format!("{path}:{n}: {e}"))?;
        let text = str_field(&v, "text", n)?;
        let chars = char_to_byte(&text);
        let mut gold = Vec::new();
        for s in field(&v, "spans", n)?.as_array().ok_or_else(|| format!("line {n}: spans is not an array"))? {
            let span = Span {
                kind: str_field(s, "kind", n)?,
                start: usize_field(s, "start_byte", n)?,
                end: usize_field(s, "end_byte", n)?,
            };
            let value = str_field(s, "value", n)?;
            let (cs, ce) = (usize_field(s, "start", n)?, usize_field(s, "end", n)?);
            if text.get(span.start..span.end) != Some(value.as_str()) {
                return Err(format!("{path}:{n}: byte offsets do not select {value:?}"));
            }
            if chars.get(cs) != Some(&span.start) || chars.get(ce) != Some(&span.end) {
                return Err(format!("{path}:{n}: character offsets do not select {value:?}"));
            }
            gold.push(span);
        }
        out.push(Record { id: str_field(&v, "id", n)?, lang: str_field(&v, "lang", n)?, text, gold });
    }
    Ok(out)
}

/// What produced the findings, for the report's header.
#[derive(Debug)]
struct System {
    name: String,
    note: Option<String>,
    /// Seconds spent scanning the whole corpus once, when known.
    scan_seconds: Option<f64>,
    build_ms: Option<f64>,
    passes: Option<usize>,
}

fn run_engine(records: &[Record], policy: Option<&str>) -> Result<(System, Vec<Vec<Span>>), String> {
    let t = Instant::now();
    let (engine, policy_name) = match policy {
        None => (Engine::default(), "default policy".to_string()),
        Some(path) => {
            let src = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
            let p = Policy::parse(&src).map_err(|e| format!("{path}: {e}"))?;
            (Engine::new(p).map_err(|e| format!("{path}: {e}"))?, format!("policy {path}"))
        }
    };
    let build_ms = t.elapsed().as_secs_f64() * 1e3;

    let found: Vec<Vec<Span>> = records
        .iter()
        .map(|r| {
            engine
                .scan(&r.text)
                .iter()
                .map(|f| Span { kind: engine.kind_name(f.kind).to_string(), start: f.span.start, end: f.span.end })
                .collect()
        })
        .collect();

    // Throughput: whole passes over the corpus, one scan call per record, until at least
    // MIN_TIMING_SECONDS have passed.
    let mut passes = 0;
    let t = Instant::now();
    let mut sink = 0usize;
    while passes < 3 || t.elapsed().as_secs_f64() < MIN_TIMING_SECONDS {
        for r in records {
            sink = sink.wrapping_add(engine.scan(std::hint::black_box(&r.text)).len());
        }
        passes += 1;
    }
    std::hint::black_box(sink);
    let scan_seconds = t.elapsed().as_secs_f64() / passes as f64;
    let system = System {
        name: format!("Lucairn {} ({policy_name})", env!("CARGO_PKG_VERSION")),
        note: None,
        scan_seconds: Some(scan_seconds),
        build_ms: Some(build_ms),
        passes: Some(passes),
    };
    Ok((system, found))
}

fn read_predictions(path: &str, records: &[Record]) -> Result<(System, Vec<Vec<Span>>), String> {
    let data = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let index: HashMap<&str, usize> = records.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
    let tables: Vec<Vec<usize>> = records.iter().map(|r| char_to_byte(&r.text)).collect();
    let mut found = vec![Vec::new(); records.len()];
    let mut system = System { name: path.to_string(), note: None, scan_seconds: None, build_ms: None, passes: None };
    for (i, line) in data.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| format!("{path}:{n}: {e}"))?;
        if let Some(meta) = v.get("meta") {
            if let Some(name) = meta.get("name").and_then(Value::as_str) {
                system.name = name.to_string();
            }
            system.note = meta.get("note").and_then(Value::as_str).map(str::to_string);
            system.scan_seconds = meta.get("scan_seconds").and_then(Value::as_f64);
            system.build_ms = meta.get("build_ms").and_then(Value::as_f64);
            continue;
        }
        let id = str_field(&v, "id", n)?;
        let &r = index.get(id.as_str()).ok_or_else(|| format!("{path}:{n}: no record {id:?} in the corpus"))?;
        let table = &tables[r];
        let list = field(&v, "findings", n)?.as_array().ok_or_else(|| format!("{path}:{n}: findings not an array"))?;
        for f in list {
            let (cs, ce) = (usize_field(f, "start", n)?, usize_field(f, "end", n)?);
            let (Some(&start), Some(&end)) = (table.get(cs), table.get(ce)) else {
                return Err(format!("{path}:{n}: offsets {cs}..{ce} outside record {id:?}"));
            };
            if start > end {
                return Err(format!("{path}:{n}: empty or reversed span {cs}..{ce}"));
            }
            found[r].push(Span { kind: str_field(f, "kind", n)?, start, end });
        }
    }
    Ok((system, found))
}

/// Counts for one kind (or for all of them).
#[derive(Clone, Debug, Default)]
struct Counts {
    gold: usize,
    pred: usize,
    exact_gold: usize,
    exact_pred: usize,
    overlap_gold: usize,
    overlap_pred: usize,
    /// Non-blank characters of gold spans, and those covered by any finding.
    chars: usize,
    chars_covered: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.gold += o.gold;
        self.pred += o.pred;
        self.exact_gold += o.exact_gold;
        self.exact_pred += o.exact_pred;
        self.overlap_gold += o.overlap_gold;
        self.overlap_pred += o.overlap_pred;
        self.chars += o.chars;
        self.chars_covered += o.chars_covered;
    }
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

fn f1(p: Option<f64>, r: Option<f64>) -> Option<f64> {
    match (p, r) {
        (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
        (_, Some(_)) => Some(0.0),
        _ => None,
    }
}

/// Precision, recall and F1 of one matching mode.
fn prf(gold_hit: usize, gold: usize, pred_hit: usize, pred: usize) -> [Option<f64>; 3] {
    let p = ratio(pred_hit, pred);
    let r = ratio(gold_hit, gold);
    [p, r, f1(p, r)]
}

#[derive(Debug, Default)]
struct Unlabelled {
    count: usize,
    overlapping_gold: usize,
}

#[derive(Debug, Default)]
struct Report {
    records: usize,
    bytes: usize,
    kinds: BTreeMap<&'static str, Counts>,
    unlabelled: BTreeMap<String, Unlabelled>,
    languages: BTreeMap<String, Counts>,
    /// PERSON recall by how many of the name's words the shipped name lists know.
    person_dict: BTreeMap<&'static str, (usize, usize)>,
    spans_fully_covered: usize,
}

/// Name words the shipped dictionaries know (lower case), if they can be read.
fn name_words() -> Option<HashSet<String>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/data");
    let mut set = HashSet::new();
    for file in ["given_names.txt", "surnames.txt", "surname_particles.txt"] {
        let data = std::fs::read_to_string(format!("{dir}/{file}")).ok()?;
        for line in data.lines().filter(|l| !l.starts_with('#')) {
            for w in line.split_whitespace() {
                set.insert(w.to_lowercase());
            }
        }
    }
    Some(set)
}

fn dict_class(name: &str, words: &HashSet<String>) -> &'static str {
    let toks: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    let known = toks.iter().filter(|t| words.contains(t.as_str())).count();
    if known == toks.len() {
        "all words in the name lists"
    } else if known == 0 {
        "no word in the name lists"
    } else {
        "some words in the name lists"
    }
}

fn score(records: &[Record], found: &[Vec<Span>], words: Option<&HashSet<String>>) -> Report {
    let mut rep = Report { records: records.len(), ..Report::default() };
    for k in KINDS {
        rep.kinds.insert(k, Counts::default());
    }
    for (rec, preds) in records.iter().zip(found) {
        rep.bytes += rec.text.len();
        let lang = rep.languages.entry(rec.lang.clone()).or_default();
        let mut per_kind: BTreeMap<&'static str, Counts> = BTreeMap::new();
        for p in preds {
            match KINDS.iter().find(|k| **k == p.kind) {
                Some(k) => {
                    let c = per_kind.entry(k).or_default();
                    c.pred += 1;
                    let same: Vec<&Span> = rec.gold.iter().filter(|g| g.kind == p.kind).collect();
                    c.exact_pred += usize::from(same.iter().any(|g| g.start == p.start && g.end == p.end));
                    c.overlap_pred += usize::from(same.iter().any(|g| g.overlaps(p)));
                }
                None => {
                    let u = rep.unlabelled.entry(p.kind.clone()).or_default();
                    u.count += 1;
                    u.overlapping_gold += usize::from(rec.gold.iter().any(|g| g.overlaps(p)));
                }
            }
        }
        for g in &rec.gold {
            let Some(k) = KINDS.iter().find(|k| **k == g.kind) else { continue };
            let c = per_kind.entry(k).or_default();
            c.gold += 1;
            let same = || preds.iter().filter(|p| p.kind == g.kind);
            c.exact_gold += usize::from(same().any(|p| p.start == g.start && p.end == g.end));
            let hit = same().any(|p| p.overlaps(g));
            c.overlap_gold += usize::from(hit);
            let mut all_covered = true;
            for (b, ch) in rec.text[g.start..g.end].char_indices() {
                if ch.is_whitespace() {
                    continue;
                }
                let at = g.start + b;
                c.chars += 1;
                if preds.iter().any(|p| p.start <= at && at < p.end) {
                    c.chars_covered += 1;
                } else {
                    all_covered = false;
                }
            }
            rep.spans_fully_covered += usize::from(all_covered);
            if g.kind == "PERSON" {
                if let Some(words) = words {
                    let e = rep.person_dict.entry(dict_class(&rec.text[g.start..g.end], words)).or_default();
                    e.0 += usize::from(hit);
                    e.1 += 1;
                }
            }
        }
        for (k, c) in per_kind {
            lang.add(&c);
            if let Some(total) = rep.kinds.get_mut(k) {
                total.add(&c);
            }
        }
    }
    rep
}

fn micro(rep: &Report) -> Counts {
    let mut m = Counts::default();
    for c in rep.kinds.values() {
        m.add(c);
    }
    m
}

fn opt(x: Option<f64>) -> Value {
    x.map_or(Value::Null, |v| json!(v))
}

fn counts_json(c: &Counts) -> Value {
    let [ep, er, ef] = prf(c.exact_gold, c.gold, c.exact_pred, c.pred);
    let [op, or, of] = prf(c.overlap_gold, c.gold, c.overlap_pred, c.pred);
    json!({
        "gold": c.gold,
        "pred": c.pred,
        "exact": {"precision": opt(ep), "recall": opt(er), "f1": opt(ef)},
        "overlap": {"precision": opt(op), "recall": opt(or), "f1": opt(of)},
        "redaction_recall": opt(ratio(c.chars_covered, c.chars)),
    })
}

fn to_json(sys: &System, corpus: &str, rep: &Report) -> Value {
    let m = micro(rep);
    let kinds: serde_json::Map<String, Value> =
        rep.kinds.iter().map(|(k, c)| (k.to_string(), counts_json(c))).collect();
    let unlabelled: serde_json::Map<String, Value> = rep
        .unlabelled
        .iter()
        .map(|(k, u)| (k.clone(), json!({"count": u.count, "overlapping_gold": u.overlapping_gold})))
        .collect();
    let languages: serde_json::Map<String, Value> =
        rep.languages.iter().map(|(k, c)| (k.clone(), counts_json(c))).collect();
    let person: serde_json::Map<String, Value> = rep
        .person_dict
        .iter()
        .map(|(k, (hit, n))| (k.to_string(), json!({"gold": n, "overlap_recall": opt(ratio(*hit, *n))})))
        .collect();
    json!({
        "system": sys.name,
        "note": sys.note,
        "corpus": corpus,
        "records": rep.records,
        "bytes": rep.bytes,
        "kinds": kinds,
        "micro": counts_json(&m),
        "redaction_recall": opt(ratio(m.chars_covered, m.chars)),
        "spans_fully_covered": opt(ratio(rep.spans_fully_covered, m.gold)),
        "unlabelled": unlabelled,
        "languages": languages,
        "person_by_dictionary": person,
        "scan_seconds": sys.scan_seconds,
        "throughput_mb_s": sys.scan_seconds.map(|s| rep.bytes as f64 / s / 1e6),
        "build_ms": sys.build_ms,
        "timing_passes": sys.passes,
    })
}

fn cell(x: Option<f64>) -> String {
    x.map_or_else(|| "    -".to_string(), |v| format!("{v:.3}"))
}

fn row(name: &str, c: &Counts) -> String {
    let e = prf(c.exact_gold, c.gold, c.exact_pred, c.pred);
    let o = prf(c.overlap_gold, c.gold, c.overlap_pred, c.pred);
    format!(
        "{name:<18} {:>5} {:>5}   {} {} {}   {} {} {}   {}",
        c.gold,
        c.pred,
        cell(e[0]),
        cell(e[1]),
        cell(e[2]),
        cell(o[0]),
        cell(o[1]),
        cell(o[2]),
        cell(ratio(c.chars_covered, c.chars)),
    )
}

fn print_text(sys: &System, corpus: &str, rep: &Report) {
    println!("{} on {corpus}: {} records, {} bytes", sys.name, rep.records, rep.bytes);
    if let Some(note) = &sys.note {
        println!("{note}");
    }
    println!();
    println!("{:<30}   {:^17}   {:^17}   redact", "", "exact", "overlap");
    println!(
        "{:<18} {:>5} {:>5}   {:>5} {:>5} {:>5}   {:>5} {:>5} {:>5}   {:>6}",
        "kind", "gold", "found", "P", "R", "F1", "P", "R", "F1", "recall"
    );
    for k in KINDS {
        if let Some(c) = rep.kinds.get(k) {
            println!("{}", row(k, c));
        }
    }
    let m = micro(rep);
    println!("{}", row("micro average", &m));
    println!();
    println!(
        "redaction recall: {} ({} of {} non-blank gold characters inside a finding of any kind); \
         gold spans fully covered: {}",
        cell(ratio(m.chars_covered, m.chars)),
        m.chars_covered,
        m.chars,
        cell(ratio(rep.spans_fully_covered, m.gold)),
    );
    if rep.unlabelled.is_empty() {
        println!("findings of kinds without gold labels: none");
    } else {
        let list: Vec<String> = rep
            .unlabelled
            .iter()
            .map(|(k, u)| format!("{k} {} ({} overlap gold spans)", u.count, u.overlapping_gold))
            .collect();
        println!("findings of kinds without gold labels (not scored): {}", list.join(", "));
    }
    if !rep.person_dict.is_empty() {
        let list: Vec<String> =
            rep.person_dict.iter().map(|(k, (hit, n))| format!("{k}: {} of {n}", cell(ratio(*hit, *n)))).collect();
        println!("PERSON overlap recall by dictionary coverage: {}", list.join("; "));
    }
    let langs: Vec<String> = rep
        .languages
        .iter()
        .map(|(l, c)| {
            let o = prf(c.overlap_gold, c.gold, c.overlap_pred, c.pred);
            format!("{l} F1 {} redaction {}", cell(o[2]), cell(ratio(c.chars_covered, c.chars)))
        })
        .collect();
    println!("by language (overlap micro F1, redaction recall): {}", langs.join("; "));
    match sys.scan_seconds {
        Some(s) => {
            let mb_s = rep.bytes as f64 / s / 1e6;
            let mut line = format!(
                "throughput: {} MB/s ({:.1} ms per pass over the corpus, one call per record, one thread",
                if mb_s < 1.0 { format!("{mb_s:.4}") } else { format!("{mb_s:.1}") },
                s * 1e3
            );
            if let Some(p) = sys.passes {
                line += &format!(", mean of {p} passes");
            }
            line += ")";
            if let Some(b) = sys.build_ms {
                line += &format!("; build {b:.1} ms");
            }
            println!("{line}");
        }
        None => println!("throughput: not reported"),
    }
}

/// A span's text with a little context, on one line.
fn show(text: &str, s: &Span) -> String {
    let mut a = s.start.saturating_sub(24);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (s.end + 24).min(text.len());
    while !text.is_char_boundary(b) {
        b += 1;
    }
    format!("{:?} in \"…{}[{}]{}…\"", &text[s.start..s.end], &text[a..s.start], &text[s.start..s.end], &text[s.end..b])
        .replace('\n', "⏎")
}

/// Lists, for one kind or all, gold spans no finding of their kind overlaps (MISS), gold
/// spans overlapped but not matched exactly (BOUNDS), and findings that overlap no gold
/// span of their kind (FALSE).
fn print_errors(records: &[Record], found: &[Vec<Span>], which: &str) {
    let wanted = |k: &str| which == "all" || which == k;
    for (rec, preds) in records.iter().zip(found) {
        for g in rec.gold.iter().filter(|g| wanted(&g.kind)) {
            let same: Vec<&Span> = preds.iter().filter(|p| p.kind == g.kind && p.overlaps(g)).collect();
            if same.is_empty() {
                println!("{}\tMISS\t{}\t{}", rec.id, g.kind, show(&rec.text, g));
            } else if !same.iter().any(|p| p.start == g.start && p.end == g.end) {
                let got: Vec<&str> = same.iter().map(|p| &rec.text[p.start..p.end]).collect();
                println!("{}\tBOUNDS\t{}\t{} found {:?}", rec.id, g.kind, show(&rec.text, g), got);
            }
        }
        for p in preds.iter().filter(|p| wanted(&p.kind) && KINDS.contains(&p.kind.as_str())) {
            if !rec.gold.iter().any(|g| g.kind == p.kind && g.overlaps(p)) {
                println!("{}\tFALSE\t{}\t{}", rec.id, p.kind, show(&rec.text, p));
            }
        }
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let run = || -> Result<(), String> {
        let records = read_corpus(&args.corpus)?;
        let (system, found) = match &args.predictions {
            Some(p) => read_predictions(p, &records)?,
            None => run_engine(&records, args.policy.as_deref())?,
        };
        let words = name_words();
        let rep = score(&records, &found, words.as_ref());
        if args.json {
            let v = to_json(&system, &args.corpus, &rep);
            println!("{}", serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?);
        } else {
            print_text(&system, &args.corpus, &rep);
        }
        if let Some(which) = &args.errors {
            println!();
            print_errors(&records, &found, which);
        }
        Ok(())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("eval: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(kind: &str, start: usize, end: usize) -> Span {
        Span { kind: kind.to_string(), start, end }
    }

    fn record(text: &str, gold: Vec<Span>) -> Record {
        Record { id: "r".to_string(), lang: "en".to_string(), text: text.to_string(), gold }
    }

    #[test]
    fn exact_overlap_and_redaction() {
        // "Dear Anna Schmidt, call 030 1234" with PERSON and PHONE_NUMBER gold.
        let text = "Dear Anna Schmidt, call 030 1234";
        let rec = record(text, vec![span("PERSON", 5, 17), span("PHONE_NUMBER", 24, 32)]);
        // PERSON found exactly; the phone found only in part, as the wrong kind.
        let found = vec![span("PERSON", 5, 17), span("POSTAL_CODE", 28, 32), span("LOCATION", 0, 4)];
        let rep = score(&[rec], &[found], None);

        let person = &rep.kinds["PERSON"];
        assert_eq!((person.gold, person.pred, person.exact_gold, person.overlap_gold), (1, 1, 1, 1));
        let phone = &rep.kinds["PHONE_NUMBER"];
        assert_eq!((phone.gold, phone.pred, phone.overlap_gold), (1, 0, 0));
        // LOCATION is a false positive of its own kind.
        let loc = &rep.kinds["LOCATION"];
        assert_eq!((loc.gold, loc.pred, loc.overlap_pred), (0, 1, 0));
        // POSTAL_CODE has no gold labels: counted apart, and it overlaps the phone.
        assert_eq!(rep.unlabelled["POSTAL_CODE"].count, 1);
        assert_eq!(rep.unlabelled["POSTAL_CODE"].overlapping_gold, 1);
        // Redaction: 11 non-blank name characters plus 4 of the 7 phone digits.
        let m = micro(&rep);
        assert_eq!((m.chars, m.chars_covered), (11 + 7, 11 + 4));
        assert_eq!(rep.spans_fully_covered, 1);
        assert_eq!(prf(m.exact_gold, m.gold, m.exact_pred, m.pred), [Some(0.5), Some(0.5), Some(0.5)]);
    }

    #[test]
    fn overlap_counts_partial_matches() {
        let text = "Hauptstraße 12, 10115 Berlin";
        let rec = record(text, vec![span("STREET_ADDRESS", 0, text.len())]);
        let found = vec![span("STREET_ADDRESS", 0, 15)];
        let rep = score(&[rec], &[found], None);
        let c = &rep.kinds["STREET_ADDRESS"];
        assert_eq!((c.exact_gold, c.exact_pred, c.overlap_gold, c.overlap_pred), (0, 0, 1, 1));
        assert_eq!(rep.spans_fully_covered, 0);
    }

    #[test]
    fn character_offsets_become_byte_offsets() {
        let table = char_to_byte("Müller, 5 €");
        assert_eq!(table[1], 1);
        assert_eq!(table[2], 3);
        assert_eq!(*table.last().expect("non-empty"), "Müller, 5 €".len());
    }

    #[test]
    fn dictionary_classes() {
        let words: HashSet<String> = ["anna", "van", "der"].iter().map(|s| s.to_string()).collect();
        assert_eq!(dict_class("Anna van der Xyzzy", &words), "some words in the name lists");
        assert_eq!(dict_class("ANNA", &words), "all words in the name lists");
        assert_eq!(dict_class("Xyzzy Qux", &words), "no word in the name lists");
    }
}
