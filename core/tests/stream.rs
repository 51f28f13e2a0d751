use lucairn_core::{
    Engine, FindingRecord, Location, OutputMode, OutputStream, Sanitizer, StreamRelinker, StreamSanitizer,
};

use crate::sanitize::{Rng, engine, random_text, rounds};

const FILLER: &str = "The quarterly report is attached; please review the figures before Friday's meeting \
     and tell me whether the numbers for the second region look right to you. ";

/// A random text, sometimes long enough that the stream has to emit before the end.
fn text(rng: &mut Rng) -> String {
    let mut t = String::new();
    for _ in 0..1 + rng.below(4) {
        t += &random_text(rng, 25);
        if rng.below(2) == 0 {
            t += &FILLER[..rng.below(FILLER.len())];
        }
        if rng.below(3) == 0 {
            t += FILLER;
            t += FILLER;
        }
    }
    t
}

/// Random cut points of `len` bytes: tiny chunks (down to 1 byte) and larger ones.
fn cuts(rng: &mut Rng, len: usize) -> Vec<usize> {
    let style = rng.below(4);
    let mut v = Vec::new();
    let mut at = 0;
    while at < len {
        let step = match style {
            0 => 1,
            1 => 1 + rng.below(4),
            2 => 1 + rng.below(40),
            _ => 1 + rng.below(600),
        };
        at = (at + step).min(len);
        v.push(at);
    }
    v
}

/// Feeds `text` in chunks through `push` (str chunks, cuts moved to char boundaries) or
/// `push_bytes` (cuts anywhere), checking after every push that the output so far is a
/// prefix of `whole`: nothing is emitted that the whole-text output does not have.
fn feed(
    rng: &mut Rng,
    text: &str,
    whole: &str,
    mut push: impl FnMut(&str) -> String,
    mut push_bytes: impl FnMut(&[u8]) -> String,
    finish: impl FnOnce() -> String,
) -> String {
    let bytes = rng.below(2) == 0;
    let mut out = String::new();
    let mut last = 0;
    for mut c in cuts(rng, text.len()) {
        if bytes {
            out += &push_bytes(&text.as_bytes()[last..c]);
        } else {
            while !text.is_char_boundary(c) {
                c += 1;
            }
            if c <= last {
                continue;
            }
            out += &push(&text[last..c]);
        }
        last = c;
        assert!(whole.starts_with(&out), "emitted {out:?}\nwhole   {whole:?}");
    }
    out += &finish();
    out
}

/// Records without the value digests (random per sanitizer without a secret).
fn spans(r: &[FindingRecord]) -> Vec<(Location, String, u64, u64, String)> {
    r.iter().map(|r| (r.location.clone(), r.kind.clone(), r.start, r.end, r.placeholder.clone())).collect()
}

fn sanitizer(engine: &Engine, rng: &mut Rng) -> Sanitizer {
    let mut s = if rng.below(2) == 0 { Sanitizer::new(engine) } else { Sanitizer::with_secret(engine, &[5; 32]) };
    // An earlier message gives out placeholders, so typed ones may need escaping.
    s.sanitize(Location::new(0, "content"), "ana@example.org, Ana Lima, EMP-004211, Project Falcon");
    s
}

#[test]
fn stream_sanitizer_equals_whole_text() {
    let engine = engine();
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for round in 0..rounds(300) {
        let text = text(&mut rng);
        let base = sanitizer(&engine, &mut rng);
        let at = Location::new(1, "content");
        let mut whole_s = base.clone();
        let whole = whole_s.sanitize(at.clone(), &text);

        let mut st = StreamSanitizer::new(base, at);
        let st = std::cell::RefCell::new(&mut st);
        let out = feed(
            &mut rng,
            &text,
            &whole,
            |c| st.borrow_mut().push(c),
            |b| st.borrow_mut().push_bytes(b),
            || st.borrow_mut().finish(),
        );
        assert_eq!(out, whole, "round {round}: text {text:?}");
        let s = st.borrow();
        assert_eq!(spans(s.sanitizer().findings()), spans(whole_s.findings()), "round {round}");
        assert_eq!(s.sanitizer().mapping(), whole_s.mapping(), "round {round}");
    }
}

#[test]
fn stream_relinker_equals_whole_text() {
    let engine = engine();
    let mut rng = Rng(0x0bad_cafe_f00d_0001);
    for round in 0..rounds(400) {
        let mut s = sanitizer(&engine, &mut rng);
        s.sanitize(Location::new(1, "content"), &random_text(&mut rng, 10));
        let mapping = s.mapping().clone();
        let answer = text(&mut rng);
        let whole = mapping.relink(&answer);
        let mut r = StreamRelinker::new(mapping);
        let r = std::cell::RefCell::new(&mut r);
        let out = feed(
            &mut rng,
            &answer,
            &whole,
            |c| r.borrow_mut().push(c),
            |b| r.borrow_mut().push_bytes(b),
            || r.borrow_mut().finish(),
        );
        assert_eq!(out, whole, "round {round}: answer {answer:?}");
    }
}

#[test]
fn output_stream_equals_whole_text() {
    let engine = engine();
    let mut rng = Rng(0x7777_0000_1111_2222);
    for round in 0..rounds(300) {
        let s = sanitizer(&engine, &mut rng);
        let mode = if rng.below(2) == 0 { OutputMode::Relink } else { OutputMode::Keep };
        let answer = text(&mut rng);
        let at = Location::new(0, "choices[0].message.content");
        let mut whole_s = s.clone();
        let whole = whole_s.scan_output(at.clone(), &answer, mode);
        let mut o = OutputStream::new(s, at, mode);
        let o = std::cell::RefCell::new(&mut o);
        let out = feed(
            &mut rng,
            &answer,
            &whole,
            |c| o.borrow_mut().push(c),
            |b| o.borrow_mut().push_bytes(b),
            || o.borrow_mut().finish(),
        );
        assert_eq!(out, whole, "round {round} ({mode:?}): answer {answer:?}");
        assert_eq!(spans(o.borrow().sanitizer().output_findings()), spans(whole_s.output_findings()));
    }
}

#[test]
fn byte_api_decodes_like_from_utf8_lossy() {
    let engine = engine();
    let mut rng = Rng(99);
    let pieces: &[&[u8]] =
        &[b"a", b" ", "é".as_bytes(), "😀".as_bytes(), b"\xff", b"\xe2\x82", b"\xf0\x9f", b"\x80", b"ana@example.org "];
    for _ in 0..rounds(300) {
        let bytes: Vec<u8> = (0..rng.below(40)).flat_map(|_| pieces[rng.below(pieces.len())].to_vec()).collect();
        let lossy = String::from_utf8_lossy(&bytes).into_owned();
        let whole = Sanitizer::new(&engine).sanitize(Location::new(0, "c"), &lossy);
        let mut st = StreamSanitizer::new(Sanitizer::new(&engine), Location::new(0, "c"));
        let mut r = StreamRelinker::new(Default::default());
        let (mut out, mut back) = (String::new(), String::new());
        let mut last = 0;
        for c in cuts(&mut rng, bytes.len()) {
            out += &st.push_bytes(&bytes[last..c]);
            back += &r.push_bytes(&bytes[last..c]);
            last = c;
        }
        out += &st.finish();
        back += &r.finish();
        assert_eq!(out, whole);
        assert_eq!(back, lossy);
    }
}

#[test]
fn hold_back_is_bounded() {
    let engine = Engine::default();
    let mut st = StreamSanitizer::new(Sanitizer::new(&engine), Location::new(0, "c"));
    assert_eq!(st.max_hold_back(), 350);
    let text = FILLER.repeat(20);
    let mut emitted = 0;
    for chunk in text.as_bytes().chunks(7) {
        emitted += st.push_bytes(chunk).len();
    }
    assert!(emitted >= text.len() - 350, "{emitted} of {}", text.len());
    assert_eq!(emitted + st.finish().len(), text.len());

    // A custom detector with longer matches raises the bound.
    let policy = lucairn_core::Policy::from_json(r#"{"custom":[{"kind":"CASE","regex":"CASE-[0-9]{500}"}]}"#);
    let engine2 = Engine::new(policy.expect("policy")).expect("engine");
    let st2 = StreamSanitizer::new(Sanitizer::new(&engine2), Location::new(0, "c"));
    assert_eq!(st2.max_hold_back(), 505 + 32);

    // Re-linking holds back only what could still become a placeholder.
    let mut r = StreamRelinker::new(Default::default());
    assert_eq!(r.push("Hello there, fri"), "Hello there, ");
    assert_eq!(r.push("end. See [EMAIL_"), "friend. See ");
    assert_eq!(r.push("ADDRESS_1] now"), "[EMAIL_ADDRESS_1] ");
    assert_eq!(r.finish(), "now");
}

#[test]
fn only_text_that_may_still_be_personal_data_is_held_back() {
    let engine = Engine::default();
    let mut st = StreamSanitizer::new(Sanitizer::new(&engine), Location::new(0, "c"));
    // Prose streamed a word at a time is released a few words behind the input.
    let prose = "thanks for the summary, let us keep the meeting short tomorrow and focus on the \
                 open questions from the review so that everybody knows what comes next week. "
        .repeat(4);
    let mut most = 0;
    for word in prose.split_inclusive(' ') {
        st.push(word);
        most = most.max(st.held_back());
    }
    assert!(most < 200, "held back up to {most} bytes of plain prose");
    assert!(st.held_back() < 120, "held back {} bytes at the end of plain prose", st.held_back());
    // A phone number is held until it is complete, a name until a word ends it.
    for (piece, value) in [("call me at +49 30 1234", "+49"), (" 5678 tomorrow, or ask for Anna", "Anna")] {
        let mut out = String::new();
        for word in piece.split_inclusive(' ') {
            out += &st.push(word);
        }
        let held = st.held_back();
        assert!(held >= piece.len() - piece.find(value).unwrap_or(0), "{piece:?}: only {held} bytes held");
        assert!(!out.contains(value));
    }
    let rest = st.push(" Schmidt.") + &st.finish();
    assert!(rest.contains("[PHONE_NUMBER_1]") && rest.ends_with("[PERSON_1]."), "{rest}");
}

/// Texts of the labelled corpus (every fifth, and pairs of them joined) streamed a byte
/// and a word at a time give exactly the whole-text output.
#[test]
fn corpus_texts_streamed_equal_whole_texts() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../benches/corpus/dev.jsonl");
    let data = std::fs::read_to_string(&path).expect("corpus");
    let texts: Vec<String> = data
        .lines()
        .step_by(5)
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            v["text"].as_str().expect("text").to_string()
        })
        .collect();
    let joined: Vec<String> = texts.chunks(2).map(|p| p.join("\n\n")).collect();
    let engine = Engine::default();
    let mut compared = 0;
    for text in texts.iter().chain(&joined) {
        let whole = Sanitizer::new(&engine).sanitize(Location::new(0, "c"), text);
        let words: Vec<&[u8]> = text.split_inclusive(' ').map(str::as_bytes).collect();
        for chunks in [text.as_bytes().chunks(1).collect::<Vec<_>>(), words] {
            let mut st = StreamSanitizer::new(Sanitizer::new(&engine), Location::new(0, "c"));
            let mut out = String::new();
            for c in chunks {
                out += &st.push_bytes(c);
            }
            out += &st.finish();
            assert_eq!(out, whole, "{text:?}");
            compared += 1;
        }
    }
    assert_eq!(compared, 2 * (texts.len() + joined.len()));
}

#[test]
fn open_pem_block_is_held_back() {
    let engine = Engine::default();
    let mut st = StreamSanitizer::new(Sanitizer::new(&engine), Location::new(0, "c"));
    let head = FILLER.repeat(5);
    let mut out = st.push(&head);
    out += &st.push("-----BEGIN PRIVATE KEY-----\n");
    for _ in 0..40 {
        out += &st.push("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n");
    }
    assert!(out.len() <= head.len(), "emitted {} bytes past the BEGIN line", out.len() - head.len());
    out += &st.push("-----END PRIVATE KEY-----\n");
    out += &st.push(&FILLER.repeat(12));
    assert!(out.len() > head.len() + 1000, "the closed block is released");
    out += &st.finish();
    assert!(out.ends_with(FILLER));
    assert!(!out.contains("MIIEvQ"), "the key itself never leaves");
}
