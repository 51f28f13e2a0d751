//! Germany (region pack `eu`): DE_ID_CARD, DE_PASSPORT, DE_FUEHRERSCHEIN,
//! DE_HEALTH_INSURANCE, DE_SOCIAL_SECURITY, DE_LANR, DE_BSNR, DE_TAX_NUMBER,
//! DE_HANDELSREGISTER, DE_KFZ, and German forms of VAT_NUMBER and POSTAL_CODE.
//!
//! - DE_ID_CARD / DE_PASSPORT: nine characters of the ICAO alphabet of German documents
//!   (digits and `C F G H J K L M N P R T V W X Y Z`), a letter first, the ninth the ICAO
//!   9303 check digit (weights 7-3-1) of the first eight. Both kinds are reported; a context
//!   word decides (`Reisepass`, `Personalausweis`). The older identity card form `T` and
//!   eight digits has no check and needs context.
//! - DE_FUEHRERSCHEIN: two letters, eight digits, a letter or digit; needs context.
//! - DE_HEALTH_INSURANCE (KVNR): a letter and nine digits; the letter as two digits (A = 01)
//!   and the next eight digits, weighted 1-2 with digit sums, give the last digit mod 10.
//! - DE_SOCIAL_SECURITY (RVNR): area (2 digits), birth date DDMMYY (month 01-12), the birth
//!   name's initial, serial (2 digits), check digit: the initial as two digits, weights
//!   2-1-2-5-7-1-2-1-2-1-2-1, digit sums, mod 10.
//! - DE_LANR: nine digits, the seventh checking the first six (weights 4-9, `10 - sum mod
//!   10`); needs context. DE_BSNR: nine digits, not all zero; needs context.
//! - DE_TAX_NUMBER: the 13-digit federal form (`FFFF0BBBUUUUP`: a tax office number whose
//!   first digits name a state, then `0`) or the slashed state forms (`93815/08152`,
//!   `181/815/08155`, `21/815/08150`); needs context.
//! - DE_HANDELSREGISTER: `HRA` or `HRB` and one to six digits.
//! - DE_KFZ: district (1-3 letters), a separator, one or two letters, a separator, one to
//!   four digits, optionally `H` (historic) or `E` (electric); needs context, and upper
//!   case (a lower-case plate is a weak candidate).
//! - VAT_NUMBER: `DE.136.695.976`, the dotted form the finance family leaves out, with the
//!   ISO 7064 MOD 11,10 check digit.
//! - POSTAL_CODE: a bare five-digit PLZ in 01001-99998 is a weak candidate (score 0.1); the
//!   address family reports postal codes with context.
//!
//! A finding depends on at most 12 bytes left of its digit run and 16 bytes right of it,
//! plus the context windows.

use crate::Kind;
use crate::detectors::checksum;
use crate::detectors::intl::{
    self, Context, Run, Tok, all_digits, digits_at, ends_clean, grouped, letters_before, report, report_in, shape,
    starts_clean, upper,
};
use crate::detectors::{Family, Handler};
use crate::scan::Scanner;

/// Keyword anchors of this family.
pub(crate) const KEYWORDS: &[(&str, Handler)] = &[];

/// Context words of this family, per kind.
pub(crate) const CONTEXT: &[(Kind, &[&str])] = &[
    (
        Kind::DeIdCard,
        &[
            "personalausweis",
            "ausweis",
            "ausweisnummer",
            "personalausweisnummer",
            "id card",
            "identity card",
            "id-karte",
        ],
    ),
    (Kind::DePassport, &["reisepass", "passnummer", "pass-nr", "pass nr", "passport", "reisepassnummer"]),
    (
        Kind::DeFuehrerschein,
        &[
            "führerschein",
            "fuehrerschein",
            "führerscheinnummer",
            "fahrerlaubnis",
            "driving licence",
            "driver's license",
            "driver license",
            "driving license",
        ],
    ),
    (
        Kind::DeHealthInsurance,
        &[
            "krankenversichertennummer",
            "kvnr",
            "versichertennummer",
            "krankenkasse",
            "krankenversicherung",
            "egk",
            "gesundheitskarte",
            "health insurance",
        ],
    ),
    (
        Kind::DeSocialSecurity,
        &[
            "rentenversicherungsnummer",
            "rvnr",
            "sozialversicherungsnummer",
            "sozialversicherung",
            "svnr",
            "sv-nummer",
            "versicherungsnummer",
            "social security",
        ],
    ),
    (Kind::DeLanr, &["lanr", "arztnummer", "lebenslange arztnummer"]),
    (Kind::DeBsnr, &["bsnr", "betriebsstättennummer", "betriebsstaettennummer", "praxisnummer"]),
    (
        Kind::DeTaxNumber,
        &["steuernummer", "st.-nr", "stnr", "st-nr", "st.nr", "steuer-nr", "steuer nr", "finanzamt", "tax number"],
    ),
    (
        Kind::DeHandelsregister,
        &["handelsregister", "handelsregisternummer", "amtsgericht", "registergericht", "registernummer"],
    ),
    (
        Kind::DeKfz,
        &[
            "kennzeichen",
            "kfz",
            "nummernschild",
            "autokennzeichen",
            "fahrzeug",
            "license plate",
            "licence plate",
            "number plate",
        ],
    ),
];

/// A token with letters and digits.
pub(crate) fn token(s: &mut Scanner<'_>, t: Tok) {
    let b = s.b;
    let v = &b[t.ts..t.te];
    if t.len() > 12 {
        return;
    }
    let clean = starts_clean(s, t.ts) && ends_clean(s, t.te);
    match t.len() {
        9 if clean => {
            document(s, t.ts, t.te);
        }
        10 if clean => {
            kvnr(s, t.ts, t.te);
        }
        11 if clean && shape(v, b"AA99999999X") => {
            let (bare, ctx) = if upper(v) { (0.25, 0.8) } else { (0.15, 0.7) };
            report(s, t.ts, t.te, Kind::DeFuehrerschein, bare, ctx, "de_fuehrerschein");
        }
        12 if clean => {
            rvnr(s, t.ts, t.te);
        }
        _ => {}
    }
    // "HRB123456"
    if (4..=9).contains(&t.len())
        && clean
        && (v[..3].eq_ignore_ascii_case(b"HRB") || v[..3].eq_ignore_ascii_case(b"HRA"))
        && all_digits(&v[3..])
    {
        register(s, t.ts, t.te);
    }
    // "MIL EF 1234E", "KA EF 12H": the number of a plate with its suffix.
    let n = digits_at(b, t.ts, 5);
    if (1..=4).contains(&n) && t.len() == n + 1 && matches!(v[n], b'H' | b'E' | b'h' | b'e') {
        kfz(s, t.ts, t.te);
    }
}

/// A run of digits alone.
pub(crate) fn digits(s: &mut Scanner<'_>, r: Run, c: &mut Context) {
    let b = s.b;
    let len = r.len();
    // Plates, register numbers and VAT numbers: letters and a separator to the left.
    if len <= 6 && matches!(r.prev, b' ' | b'-' | b'.') && r.start >= 2 && b[r.start - 2].is_ascii_alphabetic() {
        // Lower-case plates are weak candidates: most runs after a lower-case word skip this.
        let plate = b[r.start - 2].is_ascii_uppercase() || intl::could(s, Kind::DeKfz, 0.1);
        if len <= 4 && r.prev != b'.' && plate && kfz(s, r.start, r.end) {
            return;
        }
        if len <= 6 && r.prev == b' ' && r.start >= 4 {
            let k = &b[r.start - 4..r.start - 1];
            if (k.eq_ignore_ascii_case(b"HRB") || k.eq_ignore_ascii_case(b"HRA")) && ends_clean(s, r.end) {
                register(s, r.start - 4, r.end);
                return;
            }
        }
        if r.prev == b'.' && r.start >= 3 && &b[r.start - 3..r.start - 1] == b"DE" {
            if let Some((d, e, _)) = grouped(b, r.start, &[3, 3, 3], b".") {
                let mut ascii = [0u8; 9];
                for (a, x) in ascii.iter_mut().zip(d.as_slice()) {
                    *a = x + b'0';
                }
                if ends_clean(s, e) {
                    vat(s, r.start - 3, e, &ascii);
                }
            }
            return;
        }
    }
    let worth = match len {
        5 => r.next == b'/' || intl::could(s, Kind::PostalCode, 0.1),
        9 | 13 => true,
        2..=4 => r.next == b'/',
        _ => false,
    };
    if !worth || !starts_clean(s, r.start) {
        return;
    }
    match len {
        5 if ends_clean(s, r.end) => plz(s, r),
        9 if ends_clean(s, r.end) => {
            let v = &b[r.start..r.end];
            if intl::could(s, Kind::DeLanr, 0.9) && lanr_valid(v) {
                report_in(s, c, Kind::DeLanr, 0.35, 0.9, "de_lanr");
            }
            if v.iter().any(|&x| x != b'0') {
                report_in(s, c, Kind::DeBsnr, 0.15, 0.75, "de_bsnr");
            }
        }
        13 if ends_clean(s, r.end) => {
            let v = &b[r.start..r.end];
            let (bare, ctx) = if elster(v) { (0.2, 0.85) } else { (0.0, 0.7) };
            report_in(s, c, Kind::DeTaxNumber, bare, ctx, "de_tax_number");
        }
        2..=5 if r.next == b'/' => {
            tax_slashed(s, r);
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------
// DE_ID_CARD, DE_PASSPORT

/// The letters of German document numbers (no vowels, no B, D, Q, S).
fn doc_char(c: u8) -> bool {
    matches!(c.to_ascii_uppercase(), b'0'..=b'9' | b'C' | b'F'..=b'H' | b'J'..=b'N' | b'P' | b'R' | b'T' | b'V'..=b'Z')
}

fn document(s: &mut Scanner<'_>, ts: usize, te: usize) {
    let v = &s.b[ts..te];
    if !v[0].is_ascii_alphabetic() {
        return;
    }
    let checked = v.iter().all(|&c| doc_char(c)) && intl::icao(&v[..8]) == Some(v[8].wrapping_sub(b'0'));
    if checked {
        let (bare, ctx) = if upper(v) { (0.4, 0.9) } else { (0.3, 0.85) };
        report(s, ts, te, Kind::DeIdCard, bare, ctx, "de_id_card");
        report(s, ts, te, Kind::DePassport, bare, ctx, "de_passport");
    } else if v[0].eq_ignore_ascii_case(&b'T') && all_digits(&v[1..]) {
        // The identity card before November 2010.
        report(s, ts, te, Kind::DeIdCard, 0.3, 0.8, "de_id_card");
    }
}

// ---------------------------------------------------------------------------------------
// DE_HEALTH_INSURANCE, DE_SOCIAL_SECURITY, DE_LANR

/// Sum of the decimal digits of `n`.
#[inline]
fn digit_sum(n: u32) -> u32 {
    n / 10 + n % 10
}

/// The letter's position in the alphabet (A = 1), or 0.
#[inline]
fn letter_number(c: u8) -> u32 {
    if c.is_ascii_alphabetic() { u32::from(c.to_ascii_uppercase() - b'A') + 1 } else { 0 }
}

/// KVNR check: the letter as two digits and the next eight digits, weighted 1-2.
pub(crate) fn kvnr_valid(v: &[u8]) -> bool {
    if v.len() != 10 || !v[0].is_ascii_alphabetic() || !all_digits(&v[1..]) {
        return false;
    }
    let n = letter_number(v[0]);
    let mut d = [0u32; 10];
    d[0] = n / 10;
    d[1] = n % 10;
    for i in 0..8 {
        d[i + 2] = u32::from(v[i + 1] - b'0');
    }
    let sum: u32 = d.iter().enumerate().map(|(i, &x)| digit_sum(x * if i % 2 == 0 { 1 } else { 2 })).sum();
    sum % 10 == u32::from(v[9] - b'0')
}

fn kvnr(s: &mut Scanner<'_>, ts: usize, te: usize) {
    if kvnr_valid(&s.b[ts..te]) {
        report(s, ts, te, Kind::DeHealthInsurance, 0.45, 0.9, "de_health_insurance");
    }
}

/// RVNR check: area, birth date, initial, serial, check digit.
pub(crate) fn rvnr_valid(v: &[u8]) -> bool {
    if v.len() != 12 || !all_digits(&v[..8]) || !v[8].is_ascii_alphabetic() || !all_digits(&v[9..]) {
        return false;
    }
    let (day, month) = (intl::num(&v[2..4]), intl::num(&v[4..6]));
    if day == 0 || !(1..=12).contains(&month) {
        return false;
    }
    let n = letter_number(v[8]);
    let mut d = [0u32; 12];
    for i in 0..8 {
        d[i] = u32::from(v[i] - b'0');
    }
    d[8] = n / 10;
    d[9] = n % 10;
    d[10] = u32::from(v[9] - b'0');
    d[11] = u32::from(v[10] - b'0');
    const W: [u32; 12] = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1];
    let sum: u32 = d.iter().zip(W).map(|(&x, w)| digit_sum(x * w)).sum();
    sum % 10 == u32::from(v[11] - b'0')
}

fn rvnr(s: &mut Scanner<'_>, ts: usize, te: usize) {
    if rvnr_valid(&s.b[ts..te]) {
        report(s, ts, te, Kind::DeSocialSecurity, 0.6, 0.95, "de_social_security");
    }
}

/// LANR check: the seventh digit from the first six, weights 4-9.
pub(crate) fn lanr_valid(v: &[u8]) -> bool {
    if v.len() != 9 || !all_digits(v) {
        return false;
    }
    let sum: u32 = v[..6].iter().enumerate().map(|(i, &c)| u32::from(c - b'0') * if i % 2 == 0 { 4 } else { 9 }).sum();
    (10 - sum % 10) % 10 == u32::from(v[6] - b'0')
}

// ---------------------------------------------------------------------------------------
// DE_TAX_NUMBER

/// The federal 13-digit form: a tax office number whose first digits name a state (`28`
/// Baden-Württemberg, `9` Bayern, `11` Berlin ...), then `0`.
pub(crate) fn elster(v: &[u8]) -> bool {
    if v.len() != 13 || !all_digits(v) || v[4] != b'0' {
        return false;
    }
    let two = &v[..2];
    v[0] == b'9'
        || v[0] == b'5'
        || matches!(two, b"10" | b"11" | b"21" | b"22" | b"23" | b"24" | b"26" | b"27" | b"28")
        || matches!(two, b"30" | b"31" | b"32" | b"40" | b"41")
}

fn tax_slashed(s: &mut Scanner<'_>, r: Run) {
    if !intl::could(s, Kind::DeTaxNumber, 0.85) {
        return;
    }
    let b = s.b;
    let a = r.len();
    let mid = digits_at(b, r.end + 1, 5);
    let p = r.end + 1 + mid;
    if b.get(p) != Some(&b'/') {
        // The Baden-Württemberg form "93815/08152".
        if a == 5 && mid == 5 && ends_clean(s, p) {
            report(s, r.start, p, Kind::DeTaxNumber, 0.2, 0.85, "de_tax_number");
        }
        return;
    }
    let last = digits_at(b, p + 1, 6);
    let e = p + 1 + last;
    if (2..=3).contains(&a) && (3..=4).contains(&mid) && (4..=5).contains(&last) && ends_clean(s, e) {
        report(s, r.start, e, Kind::DeTaxNumber, 0.2, 0.85, "de_tax_number");
        s.set_resume(Family::Intl, e);
    }
}

// ---------------------------------------------------------------------------------------
// DE_HANDELSREGISTER, DE_KFZ

fn register(s: &mut Scanner<'_>, start: usize, end: usize) {
    if !starts_clean(s, start) {
        return;
    }
    let (bare, ctx) = if upper(&s.b[start..start + 3]) { (0.6, 0.9) } else { (0.3, 0.8) };
    report(s, start, end, Kind::DeHandelsregister, bare, ctx, "de_handelsregister");
}

/// A plate whose number (and optional suffix) is `b[ns..ne]`: two letter groups and
/// separators to the left.
fn kfz(s: &mut Scanner<'_>, ns: usize, ne: usize) -> bool {
    if !intl::could(s, Kind::DeKfz, 0.75) || ns < 4 || !ends_clean(s, ne) {
        return false;
    }
    let b = s.b;
    let sep2 = b[ns - 1];
    if !matches!(sep2, b' ' | b'-') {
        return false;
    }
    let l2 = letters_before(b, ns - 1, 3);
    if !(1..=2).contains(&l2) || ns - 1 - l2 < 2 {
        return false;
    }
    let sep1 = b[ns - 2 - l2];
    if sep1 != sep2 {
        return false;
    }
    let l1 = letters_before(b, ns - 2 - l2, 4);
    if !(1..=3).contains(&l1) {
        return false;
    }
    let start = ns - 2 - l2 - l1;
    if !starts_clean(s, start) {
        return false;
    }
    let v = &b[start..ne];
    // Lower case ("is at 10") only as a weak candidate: a context search for every such
    // phrase would cost more than it finds.
    let (bare, ctx) = if upper(v) {
        (0.2, 0.75)
    } else if v.iter().all(|c| !c.is_ascii_uppercase()) {
        (0.1, 0.1)
    } else {
        return false;
    };
    report(s, start, ne, Kind::DeKfz, bare, ctx, "de_kfz")
}

// ---------------------------------------------------------------------------------------
// VAT_NUMBER, POSTAL_CODE

/// A German VAT number `b[start..end]` whose nine digits are `d` (ASCII).
fn vat(s: &mut Scanner<'_>, start: usize, end: usize, d: &[u8]) {
    if d.len() != 9 || d[0] == b'0' || !starts_clean(s, start) {
        return;
    }
    let v = intl::dv(d);
    if checksum::iso7064_mod11_10(&v.as_slice()[..8]) == v.as_slice()[8] {
        report(s, start, end, Kind::VatNumber, 0.85, 1.0, "de_vat_number");
    }
}

fn plz(s: &mut Scanner<'_>, r: Run) {
    if s.eng.packs & crate::detectors::region::EU == 0 || !intl::could(s, Kind::PostalCode, 0.1) {
        return;
    }
    let n = checksum::number(intl::dv(&s.b[r.start..r.end]).as_slice());
    if (1001..=99998).contains(&n) {
        report(s, r.start, r.end, Kind::PostalCode, 0.1, 0.1, "de_plz");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kvnr_vectors() {
        for v in ["A000500015", "C000500021", "A123456780", "M123456785", "B123456782", "Z000000005", "Z999999997"] {
            assert!(kvnr_valid(v.as_bytes()), "{v}");
        }
        for v in ["A123456787", "M123456789", "1123456780"] {
            assert!(!kvnr_valid(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn rvnr_vectors() {
        for v in ["15070649C103", "65070803A019", "20151090B023", "38551285K051"] {
            assert!(rvnr_valid(v.as_bytes()), "{v}");
        }
        for v in ["15070649C100", "65070803A012", "15070049C103", "15071349C103", "150706491103"] {
            assert!(!rvnr_valid(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn lanr_vectors() {
        for v in ["123456601", "234567701", "100000601", "987654401", "555555501", "999999901"] {
            assert!(lanr_valid(v.as_bytes()), "{v}");
        }
        for v in ["123456901", "234567601", "100000401"] {
            assert!(!lanr_valid(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn elster_states() {
        assert!(elster(b"2893081508152"));
        assert!(elster(b"9181081508155"));
        assert!(!elster(b"0281508150123"));
        assert!(!elster(b"1781508150001"));
    }
}
