//! Other EU countries (region pack `eu`): FI_PERSONAL_IDENTITY_CODE, SE_ORGANISATIONSNUMMER,
//! ES_PASSPORT, IT_DRIVER_LICENSE, IT_IDENTITY_CARD, IT_PASSPORT, and Italian VAT numbers
//! without their country prefix (VAT_NUMBER).
//!
//! - FI_PERSONAL_IDENTITY_CODE (henkilötunnus): DDMMYY, a century sign (`+` 1800s; `-`, `Y`,
//!   `X`, `W`, `V`, `U` 1900s; `A` to `F` 2000s), a three-digit individual number and the
//!   check character `0123456789ABCDEFHJKLMNPRSTUVWXY`[DDMMYYNNN mod 31]; the date must
//!   exist. It may follow a word without a space (`is010594Y9032`): the century sign and
//!   the check character leave no doubt.
//! - SE_ORGANISATIONSNUMMER: ten digits (`556703-7485` or contiguous), the third at least 2
//!   (personnummer have a month there), Luhn over all ten; needs context (one number in ten
//!   passes Luhn).
//! - VAT_NUMBER (Italy, partita IVA): eleven digits, a company number that is not all zero,
//!   a province office 001-100, 120, 121, 888 or 999, Luhn; needs context.
//! - ES_PASSPORT: three letters and six digits; IT_PASSPORT: two letters and seven digits;
//!   IT_IDENTITY_CARD: the paper card (`AA 1234567`) and the electronic ones (`1234567AA`,
//!   `AA12345AA`); IT_DRIVER_LICENSE: two letters, seven digits, a letter, or `U1`, seven
//!   characters and a letter. These have no check and need context.
//!
//! A finding depends on at most 24 bytes left of its digit run and 12 bytes right of it,
//! plus the context windows.

use crate::Kind;
use crate::detectors::Handler;
use crate::detectors::checksum;
use crate::detectors::intl::{
    Context, Run, Tok, all_digits, could, dv, ends_clean, letters_before, luhn_ascii, num, report, report_in, shape,
    starts_clean, upper,
};
use crate::scan::Scanner;

/// Keyword anchors of this family.
pub(crate) const KEYWORDS: &[(&str, Handler)] = &[];

/// Context words of this family, per kind.
pub(crate) const CONTEXT: &[(Kind, &[&str])] = &[
    (
        Kind::FiPersonalIdentityCode,
        &["henkilötunnus", "hetu", "henkilötunnukseni", "personal identity code", "sosiaaliturvatunnus", "id code"],
    ),
    (
        Kind::SeOrganisationsnummer,
        &["organisationsnummer", "orgnr", "org.nr", "org nr", "orgnummer", "organisation number", "company number"],
    ),
    (Kind::EsPassport, &["pasaporte", "passport", "número de pasaporte"]),
    (Kind::ItPassport, &["passaporto", "passport"]),
    (
        Kind::ItIdentityCard,
        &[
            "carta d'identità",
            "carta di identità",
            "carta d'identita",
            "documento d'identità",
            "documento di identità",
            "identity card",
        ],
    ),
    (Kind::ItDriverLicense, &["patente", "patente di guida", "licenza di guida", "driving licence", "driver license"]),
    (Kind::VatNumber, &["partita iva", "p.iva", "p. iva", "piva", "iva"]),
];

/// A token with letters and digits.
pub(crate) fn token(s: &mut Scanner<'_>, t: Tok) {
    let b = s.b;
    let v = &b[t.ts..t.te];
    // A Finnish code, possibly glued to the word before it.
    if t.len() >= 11 && matches!(b[t.te - 5], b'+' | b'-' | b'A'..=b'F' | b'U'..=b'Y') {
        let f = t.te - 11;
        if (f == t.ts || b[f - 1].is_ascii_alphabetic()) && ends_clean(s, t.te) && (f > t.ts || starts_clean(s, f)) {
            fi(s, f, t.te, f > t.ts);
        }
    }
    if !(t.len() == 9 || t.len() == 10) || !starts_clean(s, t.ts) || !ends_clean(s, t.te) {
        return;
    }
    match t.len() {
        9 => {
            if shape(v, b"AAA999999") {
                report(s, t.ts, t.te, Kind::EsPassport, 0.05, 0.6, "es_passport");
            } else if shape(v, b"AA9999999") {
                report(s, t.ts, t.te, Kind::ItPassport, 0.05, 0.6, "it_passport");
                report(s, t.ts, t.te, Kind::ItIdentityCard, 0.05, 0.6, "it_identity_card");
            } else if shape(v, b"9999999AA") || shape(v, b"AA99999AA") {
                report(s, t.ts, t.te, Kind::ItIdentityCard, 0.05, 0.6, "it_identity_card");
            }
        }
        10 if it_licence(v) => {
            let (bare, ctx) = if upper(v) { (0.2, 0.7) } else { (0.1, 0.6) };
            report(s, t.ts, t.te, Kind::ItDriverLicense, bare, ctx, "it_driver_license");
        }
        _ => {}
    }
}

/// A run of digits alone.
pub(crate) fn digits(s: &mut Scanner<'_>, r: Run, c: &mut Context) {
    let b = s.b;
    match r.len() {
        6 if matches!(r.next, b'-' | b'+') && starts_clean(s, r.start) => {
            // "131052-308T" (three digits and the check character), "556703-7485".
            let e = r.end + 5;
            if e <= b.len() && ends_clean(s, e) {
                let v = &b[r.start..e];
                if all_digits(&v[7..10]) {
                    fi(s, r.start, e, false);
                }
                if r.next == b'-' && all_digits(&v[7..]) {
                    let mut d = [0u8; 10];
                    d[..6].copy_from_slice(&v[..6]);
                    d[6..].copy_from_slice(&v[7..]);
                    if org_valid(&d) {
                        report(s, r.start, e, Kind::SeOrganisationsnummer, 0.45, 0.9, "se_organisationsnummer");
                    }
                }
            }
        }
        10 if starts_clean(s, r.start) && ends_clean(s, r.end) => {
            let mut d = [0u8; 10];
            d.copy_from_slice(&b[r.start..r.end]);
            if org_valid(&d) {
                report_in(s, c, Kind::SeOrganisationsnummer, 0.35, 0.9, "se_organisationsnummer");
            }
        }
        11 if starts_clean(s, r.start)
            && ends_clean(s, r.end)
            && could(s, Kind::VatNumber, 0.9)
            && piva_valid(&b[r.start..r.end]) =>
        {
            report_in(s, c, Kind::VatNumber, 0.3, 0.9, "it_vat_number");
        }
        7 if r.prev == b' ' && r.start >= 3 && ends_clean(s, r.end) => {
            // "AA 1234567": the paper identity card.
            let l = letters_before(b, r.start - 1, 3);
            if l == 2 && starts_clean(s, r.start - 3) {
                report(s, r.start - 3, r.end, Kind::ItIdentityCard, 0.05, 0.6, "it_identity_card");
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------
// FI_PERSONAL_IDENTITY_CODE

const FI_CHECK: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";

/// True for a valid henkilötunnus `v` (11 bytes).
pub(crate) fn fi_valid(v: &[u8]) -> bool {
    if v.len() != 11 || !all_digits(&v[..6]) || !all_digits(&v[7..10]) {
        return false;
    }
    let century = match v[6] {
        b'+' => 1800,
        b'-' | b'Y' | b'X' | b'W' | b'V' | b'U' => 1900,
        b'A'..=b'F' => 2000,
        _ => return false,
    };
    let (day, month, year) = (num(&v[..2]), num(&v[2..4]), century + num(&v[4..6]));
    if !checksum::valid_date(year, month, day) {
        return false;
    }
    let n = num(&v[..6]) * 1000 + num(&v[7..10]);
    FI_CHECK[(n % 31) as usize] == v[10]
}

fn fi(s: &mut Scanner<'_>, start: usize, end: usize, glued: bool) {
    if fi_valid(&s.b[start..end]) {
        let bare = if glued { 0.5 } else { 0.8 };
        report(s, start, end, Kind::FiPersonalIdentityCode, bare, 0.95, "fi_personal_identity_code");
    }
}

// ---------------------------------------------------------------------------------------
// SE_ORGANISATIONSNUMMER, Italian VAT numbers

/// True for the ten digits (ASCII) of an organisationsnummer.
fn org_valid(d: &[u8; 10]) -> bool {
    matches!(d[0], b'1'..=b'3' | b'5'..=b'9') && d[2] >= b'2' && luhn_ascii(d)
}

/// True for a valid partita IVA (eleven ASCII digits).
pub(crate) fn piva_valid(v: &[u8]) -> bool {
    v.len() == 11
        && all_digits(v)
        && v[..7].iter().any(|&c| c != b'0')
        && matches!(num(&v[7..10]), 1..=100 | 120 | 121 | 888 | 999)
        && luhn_ascii(v)
}

// ---------------------------------------------------------------------------------------
// IT_DRIVER_LICENSE

fn it_licence(v: &[u8]) -> bool {
    if shape(v, b"AA9999999A") {
        return true;
    }
    v[..2].eq_ignore_ascii_case(b"U1")
        && v[2..9].iter().all(|&c| {
            c.is_ascii_digit()
                || (c.is_ascii_alphabetic() && !matches!(c.to_ascii_uppercase(), b'A' | b'I' | b'O' | b'Q' | b'V'))
        })
        && v[9].is_ascii_alphabetic()
        && !dv(v).as_slice().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fi_vectors() {
        for v in ["010594Y9032", "020594X903P", "030594W903B", "040594V902Y", "010516B903X", "131052-308T"] {
            assert!(fi_valid(v.as_bytes()), "{v}");
        }
        for v in ["111111-111A", "311190-1111", "310289-211C", "012245A110G", "010324A110G", "131052/308T"] {
            assert!(!fi_valid(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn piva_vectors() {
        assert!(piva_valid(b"01333550323"));
        assert!(!piva_valid(b"00000000000"));
        assert!(!piva_valid(b"00000000001"));
        assert!(!piva_valid(b"01333550324"));
    }
}
