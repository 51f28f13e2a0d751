//! The lexicon: every dictionary word (names, cities, medical terms, street words, common
//! words) in one hash table keyed by a case-folded hash, with a bitset of what the word is.
//!
//! One lookup per token answers every question the word detectors ask. Multi-word entries
//! ("van der", "New York", "type 2 diabetes") are stored under the hash of the whole phrase
//! (tokens joined by one space), and every proper prefix of a phrase is stored with a
//! `*_PREFIX` flag so a detector extends a match only while it can still grow.
//!
//! Entries are not kept as strings: a 64-bit hash stands for the word. With about a
//! million entries the chance that a word of the text collides with an entry it is not is
//! about 5e-14 per token.
//!
//! The lists are embedded in the binary (`core/data/`, see its README and `NOTICE`), so
//! the engine needs no file or network at run time. The table is built once per process
//! and shared by every engine (it is immutable data).

use crate::token::table;

pub(crate) use crate::token::{Fold, flag};

static SLOTS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon_slots.bin"));
static LOWER_CITY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon_lower_city.bin"));
static INTRO: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon_intro.bin"));
static PHRASE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon_phrase.bin"));
static PAIR: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon_pair.bin"));
static PLURAL: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon_plural.bin"));

/// A set of hashes with false positives (one bit per hash), small enough for the cache.
#[derive(Debug)]
pub(crate) struct Bits {
    bytes: &'static [u8],
    log2: u32,
}

impl Bits {
    /// False means surely absent.
    #[inline(always)]
    pub(crate) fn may_contain(&self, h: u64) -> bool {
        let i = table::bit(h, self.log2);
        self.bytes[i >> 3] & (1 << (i & 7)) != 0
    }

    /// Like `may_contain`, for a set built with two bits per hash (fewer false positives).
    #[inline(always)]
    pub(crate) fn may_contain2(&self, h: u64) -> bool {
        self.may_contain(h) && self.may_contain(h.rotate_left(32))
    }
}

/// Two sets of hashes like [`Bits`] of the same size, interleaved by byte so that one read
/// answers both: the lower-case filter and the first tokens of cities.
#[derive(Debug)]
pub(crate) struct LowerCity {
    bytes: &'static [u8],
}

const _: () = assert!(table::LOWER_BITS == table::CITY_BITS);

impl LowerCity {
    /// Whether `h` may be in the lower-case filter and in the city filter (false means
    /// surely absent).
    #[inline(always)]
    pub(crate) fn may_contain(&self, h: u64) -> (bool, bool) {
        let i = table::bit(h, table::LOWER_BITS);
        let j = (i >> 3) * 2;
        let Some(&[l, c]) = self.bytes.get(j..j + 2) else { return (false, false) };
        let m = 1 << (i & 7);
        (l & m != 0, c & m != 0)
    }
}

/// Every dictionary word, by hash (tables built with the crate by `build.rs`).
#[derive(Debug)]
pub(crate) struct Lexicon {
    /// First tokens of entries that matter in lower case (medical terms, particles,
    /// phrases): lower-case tokens outside the first set are not looked up. First tokens
    /// of cities (one-word cities included): a token outside the second set has neither
    /// `CITY` nor `PREFIX_CITY`.
    pub(crate) lower_city: LowerCity,
    /// Last tokens of introductions ("my name IS"): a lower-case token after one may be a name.
    pub(crate) intro_last: Bits,
    /// Last tokens of multi-word titles, greetings, closings and introductions.
    pub(crate) phrase_last: Bits,
    /// The first two tokens of every entry of two or more tokens (the `Fold` hash of the
    /// pair): a read-ahead past a token's prefix flag is worth it only when the pair it
    /// makes with the next token is in here.
    /// Two bits per pair (`may_contain2`).
    pub(crate) pair: Bits,
    /// Plural forms of one-word medical terms ("migraines", "allergies"), by the hash of
    /// the plural: the singular of a word outside this set is no medical term.
    pub(crate) plural: Bits,
}

static LEXICON: Lexicon = Lexicon {
    lower_city: LowerCity { bytes: LOWER_CITY },
    intro_last: Bits { bytes: INTRO, log2: table::INTRO_BITS },
    phrase_last: Bits { bytes: PHRASE, log2: table::PHRASE_BITS },
    pair: Bits { bytes: PAIR, log2: table::PAIR_BITS },
    plural: Bits { bytes: PLURAL, log2: table::PLURAL_BITS },
};

impl Lexicon {
    /// The flags of the word or phrase with this hash (0 when absent).
    #[inline(always)]
    pub(crate) fn get(&self, hash: u64) -> u32 {
        let mask = (1usize << table::TABLE_BITS) - 1;
        let fp = table::fingerprint(hash);
        let mut i = table::home(hash);
        loop {
            let mut w = [0u8; 8];
            w.copy_from_slice(&SLOTS[i * 8..i * 8 + 8]);
            let slot = u64::from_le_bytes(w);
            if slot == 0 {
                return 0;
            }
            if slot >> table::FLAG_BITS == fp {
                return (slot & ((1 << table::FLAG_BITS) - 1)) as u32;
            }
            i = (i + 1) & mask;
        }
    }

    /// The flags of a word or phrase given as text.
    pub(crate) fn lookup(&self, s: &str) -> u32 {
        self.get(Fold::phrase(s))
    }

    /// True for an ICD-10 code, given without its dot ("E119").
    pub(crate) fn is_icd10(&self, code: &str) -> bool {
        self.get(crate::token::token_hash(code)) & flag::ICD10 != 0
    }

    /// The lexicon of the embedded lists (static tables: every engine shares them).
    pub(crate) fn embedded() -> &'static Lexicon {
        &LEXICON
    }
}

#[cfg(test)]
mod tests {
    use super::{Fold, Lexicon, flag};

    #[test]
    fn fold_ignores_case_and_spacing() {
        assert_eq!(Fold::phrase("Müller"), Fold::phrase("MÜLLER"));
        assert_eq!(Fold::phrase("New  York"), Fold::phrase("new york"));
        assert_eq!(Fold::phrase("Jean-Pierre"), Fold::phrase("jean pierre"));
        assert_eq!(Fold::phrase("O\u{2019}Brien"), Fold::phrase("o'brien"));
        assert_ne!(Fold::phrase("newyork"), Fold::phrase("new york"));
        assert_ne!(Fold::phrase("ab"), Fold::phrase("ab ab"));
        assert_ne!(crate::token::token_hash("abcdefgh1"), crate::token::token_hash("abcdefgh"));
        let mut f = Fold::new();
        f.push("van");
        f.push("DER");
        assert_eq!(f.finish(), Fold::phrase("Van der"));
    }

    #[test]
    fn word_masks_give_the_tokens_of_next_token() {
        let pieces = [
            "a",
            "Zed",
            "7",
            "09",
            " ",
            "  ",
            "-",
            ".",
            "'",
            "\u{2019}",
            "'s",
            "O'Brien",
            "é",
            "Ü",
            "ß",
            "😀",
            "中文",
            "\u{0}",
            "\n",
            "x",
            "ANNA",
            "McDonald",
            "abcdefghijklmnopqrstuvwxyz",
            "ABCDEFGHIJ0123456789",
            "_",
            "@",
            "\u{a0}",
            "Abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789abcdefghij",
            "Wortzusammensetzungsbeispielé",
            "\u{2014}",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..4000 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 120) as usize;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            let mut want = Vec::new();
            let mut at = 0;
            while let Some(t) = crate::token::next_token(&text, at) {
                want.push((t.start, t.end, t.shape, t.plain));
                at = t.end;
            }
            let mut got = Vec::new();
            let mut w = crate::token::Words::new(&text, 0);
            loop {
                let peeked = w.peek().map(|t| (t.start, t.end, t.shape, t.plain));
                let Some(t) = w.next_tok() else { break };
                assert_eq!(peeked, Some((t.start, t.end, t.shape, t.plain)), "{text:?}");
                got.push((t.start, t.end, t.shape, t.plain));
            }
            assert!(w.peek().is_none(), "{text:?}");
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn tables_answer_for_known_words() {
        let lex = Lexicon::embedded();
        assert_ne!(lex.lookup("Anna") & flag::GIVEN, 0);
        assert_ne!(lex.lookup("schmidt") & flag::SURNAME, 0);
        assert_ne!(lex.lookup("New York") & flag::CITY, 0);
        assert_ne!(lex.lookup("new") & flag::PREFIX_CITY, 0);
        assert_ne!(lex.lookup("type 2 diabetes") & flag::CONDITION, 0);
        assert_ne!(lex.lookup("the") & flag::COMMON, 0);
        assert!(lex.is_icd10("E119"));
        for plural in ["migraines", "Allergies", "insulins"] {
            assert!(lex.plural.may_contain(crate::token::token_hash(plural)), "{plural}");
        }
        assert_eq!(lex.lookup("qzxv"), 0);
    }
}
