use lucairn_core::{Engine, Finding};

/// Checks what holds for every scan: spans in bounds, on char boundaries, sorted,
/// non-overlapping, scores in [0, 1].
pub fn check(text: &str, found: &[Finding]) {
    let mut last_end = 0;
    for f in found {
        assert!(f.span.start < f.span.end && f.span.end <= text.len(), "{f:?}");
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end), "{f:?}");
        assert!(f.span.start >= last_end, "overlap or unsorted at {f:?}");
        assert!((0.0..=1.0).contains(&f.score), "{f:?}");
        last_end = f.span.end;
    }
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

#[test]
fn random_unicode_spans_are_on_char_boundaries() {
    let pieces = [
        "a", "Z", "7", "0", " ", "-", ".", "@", "+", ":", "/", "é", "ß", "ø", "😀", "中", "文", "ا", "ل", "\u{0}",
        "\u{200b}", "\t", "\n", "(", ")", "#", "_", "x", "DE", "89", "4111", "sk-", "ghp_", "://", "www.", "IBAN",
        "tel", "1990",
    ];
    let engine = Engine::default();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let len = (rng.next() % 80) as usize;
        let text: String = (0..len).map(|_| rng.pick(&pieces)).collect();
        check(&text, &engine.scan(&text));
    }
}

#[test]
fn odd_inputs_do_not_panic() {
    let engine = Engine::default();
    let million_digits = "7".repeat(1_000_000);
    let spaced_digits = "1 ".repeat(300_000);
    let ats = "@".repeat(100_000);
    let dots = "a.".repeat(100_000) + "@" + &"b.".repeat(100_000);
    for text in ["", "@", "a@", "@b.cd", "\u{0}@\u{0}.\u{0}", &million_digits, &spaced_digits, &ats, &dots] {
        check(text, &engine.scan(text));
    }
}

#[test]
fn scan_into_reuses_and_scan_many_matches_scan() {
    let engine = Engine::default();
    let texts = ["x a@b.co y", "", "nothing here", "ü@ü.de und b@c.de"];
    let many = engine.scan_many(&texts);
    let mut buf = Vec::new();
    for (t, m) in texts.iter().zip(&many) {
        engine.scan_into(t, &mut buf);
        assert_eq!(&buf, m);
        assert_eq!(&engine.scan(t), m);
    }
}
