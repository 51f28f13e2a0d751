//! United States (region pack `us`): US_MBI, US_NPI, MEDICAL_LICENSE, US_PASSPORT,
//! US_DRIVER_LICENSE, US_BANK_NUMBER, and the 4-4-1 form of US_BANK_ROUTING.
//!
//! - US_MBI (Medicare beneficiary identifier): eleven characters `C A X 9 A X 9 A A 9 9`
//!   (C a digit 1-9, A a letter other than S L O I B Z, X either), contiguous or 4-3-4 with
//!   dashes.
//! - US_NPI: ten digits starting with 1 or 2, Luhn over `80840` and the ten digits, the
//!   first nine not all the same; contiguous or 4-3-3. Needs context: phone numbers have
//!   the same shape.
//! - MEDICAL_LICENSE (DEA registration number): a registrant letter, a letter (or `9`),
//!   seven digits, the last `(d1 + d3 + d5 + 2 (d2 + d4 + d6)) mod 10`; needs context.
//! - US_PASSPORT: nine digits or a letter and eight digits; US_DRIVER_LICENSE: a letter and
//!   six to twelve digits, or seven to twelve digits; US_BANK_NUMBER: eight to seventeen
//!   digits. These have no check. A letter and digits needs a context word; digits alone
//!   are weak candidates (0.05), except a bank number within 40 bytes after `account` or
//!   `acct`, and a licence number (7 to 12 digits) after `license` or `licence`, which score
//!   0.6. (With a passport word, the passport family reports passport numbers.)
//! - US_BANK_ROUTING: `3222-7162-7`, the ABA checksum and prefix rules of the finance family;
//!   needs context.
//!
//! A finding depends on at most 24 bytes left of its digit run and 14 bytes right of it,
//! plus the context windows.

use crate::Kind;
use crate::detectors::checksum;
use crate::detectors::intl::{
    self, Context, Run, Tok, all_digits, digits_at, dv, ends_clean, grouped, report, report_in, shape, starts_clean,
    upper,
};
use crate::detectors::region::Group;
use crate::detectors::{Family, Handler};
use crate::scan::Scanner;

/// Keyword anchors of this family.
pub(crate) const KEYWORDS: &[(&str, Handler)] = &[
    ("account", at_account),
    ("Account", at_account),
    ("ACCOUNT", at_account),
    ("acct", at_account),
    ("Acct", at_account),
    ("license", at_licence),
    ("License", at_licence),
    ("LICENSE", at_licence),
    ("licence", at_licence),
    ("Licence", at_licence),
];

/// How far after an account or licence keyword its number is looked for.
const NUMBER_WINDOW: usize = 40;

/// The first digit run within [`NUMBER_WINDOW`] bytes after `ke`, if it has `min..=max`
/// digits, stands alone and no other digit comes before it.
fn number_after(s: &Scanner<'_>, ke: usize, min: usize, max: usize) -> Option<(usize, usize)> {
    let b = s.b;
    let lim = (ke + NUMBER_WINDOW).min(b.len());
    let i = (ke..lim).find(|&i| b[i].is_ascii_digit())?;
    let e = i + digits_at(b, i, max + 1);
    ((min..=max).contains(&(e - i)) && starts_clean(s, i) && ends_clean(s, e)).then_some((i, e))
}

/// Handler of the account keywords: a US bank account number (8 to 17 digits) after it.
fn at_account(s: &mut Scanner<'_>, ks: usize, ke: usize) {
    if s.eng.groups & Group::US != 0 && s.wants(Kind::UsBankNumber) && s.boundary_before(ks) {
        if let Some((i, e)) = number_after(s, ke, 8, 17) {
            report(s, i, e, Kind::UsBankNumber, 0.6, 0.6, "us_bank_number");
        }
    }
}

/// Handler of the licence keywords: a US driver licence number of 7 to 12 digits after it.
fn at_licence(s: &mut Scanner<'_>, ks: usize, ke: usize) {
    if s.eng.groups & Group::US != 0 && s.wants(Kind::UsDriverLicense) && s.boundary_before(ks) {
        if let Some((i, e)) = number_after(s, ke, 7, 12) {
            report(s, i, e, Kind::UsDriverLicense, 0.6, 0.6, "us_driver_license");
        }
    }
}

/// Context words of this family, per kind.
pub(crate) const CONTEXT: &[(Kind, &[&str])] = &[
    (Kind::UsMbi, &["mbi", "medicare", "beneficiary", "medicare id", "medicare number"]),
    (Kind::UsNpi, &["npi", "national provider", "provider identifier", "provider number", "provider id"]),
    (
        Kind::MedicalLicense,
        &[
            "dea number",
            "dea no",
            "dea registration",
            "certificate number",
            "medical license",
            "medical licence",
            "license number",
            "registration number",
            "prescriber",
        ],
    ),
    (Kind::UsPassport, &["passport", "passport number", "passport no", "travel document"]),
    (
        Kind::UsDriverLicense,
        &[
            "driver's license",
            "drivers license",
            "driver license",
            "driver's licence",
            "driving license",
            "driver's lic",
            "dl#",
            "dl no",
            "license number",
            "licence number",
        ],
    ),
    (
        Kind::UsBankNumber,
        &["bank account", "account number", "account no", "acct", "account", "checking account", "savings account"],
    ),
];

/// A token with letters and digits.
pub(crate) fn token(s: &mut Scanner<'_>, t: Tok) {
    let b = s.b;
    let v = &b[t.ts..t.te];
    let n = t.len();
    if !(n == 4 || (7..=13).contains(&n)) || !starts_clean(s, t.ts) {
        return;
    }
    if ends_clean(s, t.te) {
        if n == 11 && mbi(v) {
            let bare = if upper(v) { 0.35 } else { 0.25 };
            report(s, t.ts, t.te, Kind::UsMbi, bare, 0.85, "us_mbi");
        }
        if n == 9 {
            dea(s, t.ts, t.te);
        }
        let lead = v[0].is_ascii_alphabetic() && all_digits(&v[1..]);
        if lead && n == 9 {
            report(s, t.ts, t.te, Kind::UsPassport, 0.1, 0.6, "us_passport");
        }
        if lead && (7..=13).contains(&n) {
            report(s, t.ts, t.te, Kind::UsDriverLicense, 0.2, 0.65, "us_driver_license");
        }
    }
    // "1EG4-TE5-MK73"
    if n == 4 && b.get(t.te) == Some(&b'-') {
        let e = t.te + 9;
        if e <= b.len() && b[t.te + 4] == b'-' && ends_clean(s, e) {
            let mut m = [0u8; 11];
            m[..4].copy_from_slice(v);
            m[4..7].copy_from_slice(&b[t.te + 1..t.te + 4]);
            m[7..].copy_from_slice(&b[t.te + 5..e]);
            if mbi(&m) {
                let bare = if upper(&m) { 0.55 } else { 0.4 };
                if report(s, t.ts, e, Kind::UsMbi, bare, 0.9, "us_mbi") {
                    s.set_resume(Family::Intl, e);
                }
            }
        }
    }
}

/// A run of digits alone.
pub(crate) fn digits(s: &mut Scanner<'_>, r: Run, c: &mut Context) {
    let b = s.b;
    let len = r.len();
    let in_groups = len == 4 && matches!(r.next, b'-' | b' ') && b.get(r.end + 1).is_some_and(u8::is_ascii_digit);
    if !(in_groups || (8..=17).contains(&len)) || !starts_clean(s, r.start) {
        return;
    }
    if in_groups {
        // "1234-567-893", "3222-7162-7"
        if b.get(r.end + 4) == Some(&r.next) {
            if let Some((d, e, _)) = grouped(b, r.start, &[4, 3, 3], b"- ") {
                if ends_clean(s, e) {
                    npi(s, r.start, e, d.as_slice());
                }
            }
        }
        if r.next == b'-' {
            if let Some((d, e, _)) = grouped(b, r.start, &[4, 4, 1], b"-") {
                if ends_clean(s, e) {
                    routing(s, r.start, e, d.as_slice());
                }
            }
        }
        return;
    }
    if !ends_clean(s, r.end) {
        return;
    }
    let v = &b[r.start..r.end];
    if len == 10 && intl::could(s, Kind::UsNpi, 0.9) && npi_valid(dv(v).as_slice()) {
        report_in(s, c, Kind::UsNpi, 0.4, 0.9, "us_npi");
    }
    // Digits alone: weak candidates here; with a passport word the passport family reports
    // them, and account and licence numbers come from their keywords (see `number_after`).
    if len == 9 && v[0] != b'0' {
        report_in(s, c, Kind::UsPassport, 0.05, 0.05, "us_passport");
    }
    if (8..=17).contains(&len) {
        report_in(s, c, Kind::UsBankNumber, 0.05, 0.05, "us_bank_number");
    }
}

/// True for the eleven characters of an MBI.
pub(crate) fn mbi(v: &[u8]) -> bool {
    let a =
        |c: u8| c.is_ascii_alphabetic() && !matches!(c.to_ascii_uppercase(), b'S' | b'L' | b'O' | b'I' | b'B' | b'Z');
    let n = |c: u8| c.is_ascii_digit();
    let x = |c: u8| a(c) || n(c);
    v.len() == 11
        && matches!(v[0], b'1'..=b'9')
        && a(v[1])
        && x(v[2])
        && n(v[3])
        && a(v[4])
        && x(v[5])
        && n(v[6])
        && a(v[7])
        && a(v[8])
        && n(v[9])
        && n(v[10])
}

/// True for an NPI's ten digit values.
pub(crate) fn npi_valid(d: &[u8]) -> bool {
    if d.len() != 10 || !matches!(d[0], 1 | 2) || d[..9].iter().all(|&x| x == d[0]) {
        return false;
    }
    let mut full = [8u8, 0, 8, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    full[5..].copy_from_slice(d);
    checksum::luhn(&full)
}

fn npi(s: &mut Scanner<'_>, start: usize, end: usize, d: &[u8]) {
    if intl::could(s, Kind::UsNpi, 0.9) && npi_valid(d) {
        report(s, start, end, Kind::UsNpi, 0.4, 0.9, "us_npi");
    }
}

fn routing(s: &mut Scanner<'_>, start: usize, end: usize, d: &[u8]) {
    if d.len() == 9 && matches!(checksum::number(&d[..2]), 0..=12 | 21..=32 | 61..=72 | 80) && checksum::aba(d) {
        report(s, start, end, Kind::UsBankRouting, 0.3, 0.9, "us_bank_routing");
    }
}

/// True for a DEA registration number.
pub(crate) fn dea_valid(v: &[u8]) -> bool {
    if v.len() != 9 || !b"ABCDEFGHJKLMPRSTUX".contains(&v[0]) || !(v[1].is_ascii_uppercase() || v[1] == b'9') {
        return false;
    }
    if !all_digits(&v[2..]) {
        return false;
    }
    let d = |i: usize| u32::from(v[2 + i] - b'0');
    (d(0) + d(2) + d(4) + 2 * (d(1) + d(3) + d(5))) % 10 == d(6)
}

fn dea(s: &mut Scanner<'_>, ts: usize, te: usize) {
    if shape(&s.b[ts..te], b"AX9999999") && dea_valid(&s.b[ts..te]) {
        report(s, ts, te, Kind::MedicalLicense, 0.4, 0.85, "medical_license");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npi_vectors() {
        let d = |s: &str| s.bytes().map(|c| c - b'0').collect::<Vec<u8>>();
        for v in ["1234567893", "1245319599", "1003000126"] {
            assert!(npi_valid(&d(v)), "{v}");
        }
        for v in ["0234567893", "3234567893", "1111111112", "1234567890"] {
            assert!(!npi_valid(&d(v)), "{v}");
        }
    }

    #[test]
    fn dea_vectors() {
        for v in ["GL0285191", "EU4488929", "K92993548", "BB1388568"] {
            assert!(dea_valid(v.as_bytes()), "{v}");
        }
        assert!(!dea_valid(b"BG8207031"));
        assert!(!dea_valid(b"IA1234563"));
    }

    #[test]
    fn mbi_shapes() {
        assert!(mbi(b"1EG4TE5MK73"));
        assert!(mbi(b"9XX9XX9XX99"));
        assert!(!mbi(b"1SG4TE5MK73"));
        assert!(!mbi(b"AEG4TE5MK73"));
    }
}
