//! Check-digit algorithms shared by the finance and national detectors, and a small
//! fixed-capacity digit buffer so validation never allocates.
//!
//! Every function takes digit *values* (`0..=9`), not ASCII bytes, unless it says
//! otherwise, and every function is total: malformed input gives `false`/`None`, never a
//! panic.

use sha2::{Digest, Sha256};
use sha3::Keccak256;

/// Up to 32 characters collected from the text (digits as values `0..=9`, or ASCII bytes,
/// depending on the caller), on the stack.
#[derive(Clone, Copy)]
pub(crate) struct Buf {
    v: [u8; 32],
    n: usize,
}

impl Buf {
    #[inline]
    pub(crate) const fn new() -> Buf {
        Buf { v: [0; 32], n: 0 }
    }

    /// Appends `x`; returns `false` (and drops it) when full.
    #[inline]
    pub(crate) fn push(&mut self, x: u8) -> bool {
        if self.n == self.v.len() {
            return false;
        }
        self.v[self.n] = x;
        self.n += 1;
        true
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.n
    }

    #[inline]
    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.v[..self.n]
    }
}

/// Digit values of ASCII digits; `None` if a byte is not a digit or there are too many.
pub(crate) fn digits(ascii: &[u8]) -> Option<Buf> {
    let mut buf = Buf::new();
    for &c in ascii {
        if !c.is_ascii_digit() || !buf.push(c - b'0') {
            return None;
        }
    }
    Some(buf)
}

/// The number `d` spells, for up to 18 digits.
pub(crate) fn number(d: &[u8]) -> u64 {
    d.iter().fold(0u64, |acc, &x| acc.wrapping_mul(10).wrapping_add(u64::from(x)))
}

/// Luhn (mod 10) over all digits, the last one being the check digit.
pub(crate) fn luhn(d: &[u8]) -> bool {
    if d.is_empty() {
        return false;
    }
    let mut sum = 0u32;
    for (i, &x) in d.iter().rev().enumerate() {
        let x = u32::from(x);
        sum += if i % 2 == 1 {
            let y = x * 2;
            if y > 9 { y - 9 } else { y }
        } else {
            x
        };
    }
    sum % 10 == 0
}

/// `sum(d[i] * w[i])` over the shorter of the two.
pub(crate) fn weighted(d: &[u8], w: &[u32]) -> u32 {
    d.iter().zip(w).map(|(&x, &w)| u32::from(x) * w).sum()
}

/// ISO 7064 MOD 11,10 check digit of `d` (German Steuer-ID and USt-IdNr., Croatian OIB).
pub(crate) fn iso7064_mod11_10(d: &[u8]) -> u8 {
    let mut p = 10u32;
    for &x in d {
        let mut s = (u32::from(x) + p) % 10;
        if s == 0 {
            s = 10;
        }
        p = (s * 2) % 11;
    }
    ((11 - p) % 10) as u8
}

/// Feeds one IBAN character (ASCII digit or letter, any case) into a running mod-97
/// remainder, letters counting as two digits `A = 10 .. Z = 35`. `None` for other bytes.
#[inline]
pub(crate) fn mod97_alnum(r: u32, c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some((r * 10 + u32::from(c - b'0')) % 97),
        b'A'..=b'Z' | b'a'..=b'z' => {
            let v = u32::from(c.to_ascii_uppercase() - b'A') + 10;
            Some((r * 100 + v) % 97)
        }
        _ => None,
    }
}

/// ABA routing number checksum: `3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10)`.
pub(crate) fn aba(d: &[u8]) -> bool {
    d.len() == 9 && weighted(d, &[3, 7, 1, 3, 7, 1, 3, 7, 1]) % 10 == 0
}

/// The check letter of a Spanish DNI number (also NIE and NIF K/L/M after substitution).
pub(crate) fn dni_letter(n: u64) -> u8 {
    const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    LETTERS[(n % 23) as usize]
}

/// True for a valid proleptic Gregorian date.
pub(crate) fn valid_date(year: u32, month: u32, day: u32) -> bool {
    if !(1..=12).contains(&month) || day == 0 {
        return false;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let max = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    day <= max
}

/// Decodes a Base58Check Bitcoin address (ASCII, 25 bytes decoded) and returns its
/// version byte if the double-SHA-256 checksum holds.
pub(crate) fn base58check(s: &[u8]) -> Option<u8> {
    const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    if s.is_empty() || s.len() > 40 {
        return None;
    }
    // Big-endian base-256 accumulator; a 25-byte payload needs at most 25 bytes.
    let mut out = [0u8; 25];
    for &c in s {
        let v = ALPHABET.iter().position(|&a| a == c)?;
        let mut carry = v as u32;
        for byte in out.iter_mut().rev() {
            carry += u32::from(*byte) * 58;
            *byte = (carry & 0xff) as u8;
            carry >>= 8;
        }
        if carry != 0 {
            return None;
        }
    }
    // Leading '1's are leading zero bytes, and the payload is exactly 25 bytes long.
    let ones = s.iter().take_while(|&&c| c == b'1').count();
    let zeros = out.iter().take_while(|&&b| b == 0).count();
    if zeros != ones {
        return None;
    }
    let first = Sha256::digest(&out[..21]);
    let second = Sha256::digest(first);
    if second[..4] == out[21..] { Some(out[0]) } else { None }
}

/// Which bech32 variant a checksum matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bech32 {
    /// BIP-173 (segwit v0).
    V0,
    /// BIP-350 bech32m (segwit v1+).
    M,
}

/// Checks a bech32/bech32m string `hrp1data` (ASCII, one case). Returns the variant and
/// the data part as 5-bit values (checksum excluded).
pub(crate) fn bech32(hrp: &[u8], data: &[u8]) -> Option<(Bech32, Buf5)> {
    const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    const GEN: [u32; 5] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3];
    fn step(chk: u32, v: u32) -> u32 {
        let top = chk >> 25;
        let mut c = ((chk & 0x1ff_ffff) << 5) ^ v;
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                c ^= g;
            }
        }
        c
    }
    if data.len() < 6 || data.len() > 90 {
        return None;
    }
    let mut chk = 1u32;
    for &c in hrp {
        chk = step(chk, u32::from(c.to_ascii_lowercase() >> 5));
    }
    chk = step(chk, 0);
    for &c in hrp {
        chk = step(chk, u32::from(c.to_ascii_lowercase() & 31));
    }
    let mut out = Buf5 { v: [0; 90], n: 0 };
    for (i, &c) in data.iter().enumerate() {
        let v = CHARSET.iter().position(|&a| a == c.to_ascii_lowercase())? as u8;
        chk = step(chk, u32::from(v));
        if i < data.len() - 6 {
            out.v[out.n] = v;
            out.n += 1;
        }
    }
    match chk {
        1 => Some((Bech32::V0, out)),
        0x2bc8_30a3 => Some((Bech32::M, out)),
        _ => None,
    }
}

/// The 5-bit data values of a bech32 string.
pub(crate) struct Buf5 {
    v: [u8; 90],
    n: usize,
}

impl Buf5 {
    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.v[..self.n]
    }
}

/// Length in bytes of a witness program given as 5-bit groups, if the padding is valid
/// (BIP-173 `convertbits(data, 5, 8, pad=False)`).
pub(crate) fn witness_program_len(five: &[u8]) -> Option<usize> {
    let bits = five.len() * 5;
    let bytes = bits / 8;
    let pad = bits % 8;
    if pad >= 5 {
        return None;
    }
    // The padding bits must be zero.
    let last = u32::from(*five.last()?);
    if last & ((1 << pad) - 1) != 0 {
        return None;
    }
    Some(bytes)
}

/// EIP-55: true when the mixed-case hex address (40 ASCII hex digits, without `0x`) has
/// the case pattern of its Keccak-256 checksum.
pub(crate) fn eip55(hex: &[u8]) -> bool {
    if hex.len() != 40 {
        return false;
    }
    let mut lower = [0u8; 40];
    for (l, &c) in lower.iter_mut().zip(hex) {
        *l = c.to_ascii_lowercase();
    }
    let hash = Keccak256::digest(lower);
    hex.iter().enumerate().all(|(i, &c)| {
        if c.is_ascii_digit() {
            return true;
        }
        let nibble = if i % 2 == 0 { hash[i / 2] >> 4 } else { hash[i / 2] & 0x0f };
        if nibble >= 8 { c.is_ascii_uppercase() } else { c.is_ascii_lowercase() }
    })
}

/// Tokens after a keyword: maximal runs of ASCII letters/digits (and any non-ASCII
/// character, so accented words stay whole), separated by anything else. Tokens start
/// within the window and are at most 16 bytes long; a longer token is the last one.
pub(crate) struct Tokens<'a> {
    b: &'a [u8],
    pos: usize,
    limit: usize,
}

impl<'a> Tokens<'a> {
    /// Tokens of `b[from..]` that start before `from + window`. `from` must be a char
    /// boundary.
    pub(crate) fn new(b: &'a [u8], from: usize, window: usize) -> Tokens<'a> {
        Tokens { b, pos: from, limit: (from + window).min(b.len()) }
    }
}

impl Iterator for Tokens<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let word = |c: u8| c.is_ascii_alphanumeric() || c >= 0x80;
        while self.pos < self.limit && !word(self.b[self.pos]) {
            self.pos += 1;
        }
        if self.pos >= self.limit {
            return None;
        }
        let start = self.pos;
        // A token may run past the window by at most 16 bytes; a longer one (no BIC, no
        // passport number) ends the search.
        let hard = (start + 16).min(self.b.len());
        while self.pos < hard && word(self.b[self.pos]) {
            self.pos += 1;
        }
        if self.pos == hard && hard < self.b.len() && word(self.b[hard]) {
            self.limit = 0;
        }
        Some((start, self.pos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Vec<u8> {
        s.bytes().map(|c| c - b'0').collect()
    }

    #[test]
    fn luhn_vectors() {
        for v in ["4111111111111111", "5555555555554444", "378282246310005", "6011111111111117", "79927398713"] {
            assert!(luhn(&d(v)), "{v}");
        }
        for v in ["4111111111111112", "79927398710", "1234567812345678"] {
            assert!(!luhn(&d(v)), "{v}");
        }
    }

    #[test]
    fn iso7064_vectors() {
        // Steuer-ID 86095742719 and OIB 33392005961.
        assert_eq!(iso7064_mod11_10(&d("8609574271")), 9);
        assert_eq!(iso7064_mod11_10(&d("3339200596")), 1);
        assert_eq!(iso7064_mod11_10(&d("13669597")), 6); // DE136695976
    }

    #[test]
    fn mod97_vectors() {
        let iban = "370400440532013000DE89";
        let r = iban.bytes().try_fold(0, mod97_alnum);
        assert_eq!(r, Some(1));
    }

    #[test]
    fn aba_vectors() {
        assert!(aba(&d("011000015")));
        assert!(aba(&d("021000021")));
        assert!(!aba(&d("021000022")));
    }

    #[test]
    fn dni_vectors() {
        assert_eq!(dni_letter(12_345_678), b'Z');
        assert_eq!(dni_letter(1_234_567), b'L'); // NIE X1234567L
    }

    #[test]
    fn dates() {
        assert!(valid_date(2000, 2, 29));
        assert!(!valid_date(1900, 2, 29));
        assert!(!valid_date(2021, 4, 31));
        assert!(!valid_date(2021, 13, 1));
    }

    #[test]
    fn base58check_vectors() {
        assert_eq!(base58check(b"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"), Some(0));
        assert_eq!(base58check(b"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"), Some(5));
        assert_eq!(base58check(b"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"), None);
        assert_eq!(base58check(b"1111111111111111111114oLvT2"), Some(0));
        assert_eq!(base58check(b"10000"), None);
    }

    #[test]
    fn bech32_vectors() {
        let (v, data) = bech32(b"bc", b"qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq").expect("v0");
        assert_eq!(v, Bech32::V0);
        assert_eq!(data.as_slice()[0], 0);
        assert_eq!(witness_program_len(&data.as_slice()[1..]), Some(20));
        let (v, data) = bech32(b"bc", b"p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0").expect("v1");
        assert_eq!(v, Bech32::M);
        assert_eq!(witness_program_len(&data.as_slice()[1..]), Some(32));
        assert!(bech32(b"bc", b"qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdp").is_none());
    }

    #[test]
    fn eip55_vectors() {
        // From EIP-55.
        for a in [
            "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "fB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "dbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
            "D1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        ] {
            assert!(eip55(a.as_bytes()), "{a}");
        }
        assert!(!eip55(b"5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
    }
}
