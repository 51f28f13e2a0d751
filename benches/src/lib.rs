//! Deterministic corpus generators for Lucairn's benchmarks and comparisons.
//!
//! Every generator takes a seed and a target size and returns the same text for the same
//! arguments on every machine, so figures can be reproduced.
//!
//! - [`chat`]: chat-like messages in English, German, French, Spanish, Italian and Dutch
//!   with about one item of personal data per 500 bytes.
//! - [`prose`]: English prose with no personal data.
//! - [`dense`]: personal data nearly back to back.
#![deny(missing_docs)]

/// A small xorshift generator: deterministic and dependency-free.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (any value; zero is remapped).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T: ?Sized>(&mut self, xs: &[&'a T]) -> &'a T {
        xs[self.below(xs.len())]
    }
}

const FIRST: &[&str] =
    &["Anna", "Lukas", "Marie", "Pierre", "Lucía", "Giulia", "Sanne", "Oliver", "Sophie", "Mateo", "Lena", "Jan"];
const LAST: &[&str] = &[
    "Schmidt",
    "Dupont",
    "García",
    "Rossi",
    "de Vries",
    "Smith",
    "Müller",
    "Bernard",
    "Martínez",
    "Bianchi",
    "Jansen",
];
const DOMAINS: &[&str] = &["example.com", "mail.example.org", "beispiel.de", "exemple.fr", "ejemplo.es", "esempio.it"];

/// Values of kinds with checksums: published test vectors and valid examples.
const CARDS: &[&str] = &["4111 1111 1111 1111", "5555555555554444", "3782 822463 10005", "6011-1111-1111-1117"];
const IBANS: &[&str] = &[
    "DE89 3704 0044 0532 0130 00",
    "GB82WEST12345698765432",
    "FR14 2004 1010 0505 0001 3M02 606",
    "NL91ABNA0417164300",
];
const PHONES: &[&str] =
    &["+49 30 1234567", "+44 20 7946 0958", "(415) 555-2671", "+33 1 42 68 53 00", "06 12 34 56 78"];
const IDS: &[&str] = &["123-45-6789", "AB 12 34 56 C", "943 476 5919", "12345678Z", "RSSMRA85T10A562S", "44051401359"];
const NETS: &[&str] =
    &["192.168.10.24", "2001:db8::8a2e:370:7334", "00:1A:2B:3C:4D:5E", "https://intranet.example.com/u/42"];
const SECRETS: &[&str] =
    &["sk-proj-4f9XwQ2Lm8TzR1vBn6YcK3pH", "AKIAIOSFODNN7EXAMPLE", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"];

const EN: &[&str] = &[
    "Hi team, quick update on the migration: the staging cluster is back up and the nightly jobs ran without errors. ",
    "Could you have a look at the onboarding doc before Friday? I think section three still needs examples. ",
    "Thanks for the summary. Let's keep the meeting short tomorrow and focus on the open questions from the review. ",
    "The customer asked whether the export can include the last 12 months instead of 6; I said we'd check. ",
    "I moved the design notes to the shared folder and added a short FAQ at the end for the new colleagues. ",
    "Reminder: the office is closed on Monday, so please plan deployments for Tuesday morning at the earliest. ",
];
const DE: &[&str] = &[
    "Hallo zusammen, das Update ist live und die ersten Rückmeldungen sind positiv, danke für die schnelle Hilfe. ",
    "Kannst du bitte bis Donnerstag die Zahlen für das dritte Quartal zusammenstellen? Das wäre super. ",
    "Wir treffen uns morgen um 10 Uhr im großen Besprechungsraum, bitte bringt eure Fragen mit. ",
];
const FR: &[&str] = &[
    "Bonjour à tous, la nouvelle version est en ligne et les premiers retours sont très encourageants. ",
    "Pouvez-vous relire le document avant la réunion de jeudi ? Il manque encore quelques exemples. ",
];
const ES: &[&str] = &[
    "Hola equipo, la migración terminó anoche y todo parece funcionar correctamente por ahora. ",
    "¿Podéis revisar el informe antes del viernes? Todavía faltan algunos datos del último trimestre. ",
];
const IT: &[&str] = &[
    "Ciao a tutti, il rilascio è andato bene e non abbiamo visto errori nei log di questa mattina. ",
    "Potete controllare la bozza prima di giovedì? Mancano ancora alcune parti della sezione due. ",
];
const NL: &[&str] = &[
    "Hoi allemaal, de nieuwe versie staat live en de eerste reacties zijn erg positief, bedankt! ",
    "Kunnen jullie het verslag voor vrijdag nog even doorlezen? Er ontbreken nog een paar cijfers. ",
];

fn pii(rng: &mut Rng, out: &mut String) {
    match rng.below(9) {
        0 | 1 => {
            let f = rng.pick(FIRST).to_lowercase();
            let l = rng.pick(LAST).to_lowercase().replace(' ', "");
            out.push_str(&format!("Please reply to {f}.{l}@{} when you can. ", rng.pick(DOMAINS)));
        }
        2 => out.push_str(&format!("You can call me on {} after lunch. ", rng.pick(PHONES))),
        3 => out.push_str(&format!("The refund goes to IBAN {} as agreed. ", rng.pick(IBANS))),
        4 => out.push_str(&format!("My card number is {} for the booking. ", rng.pick(CARDS))),
        5 => out.push_str(&format!("For the form: my ID number is {}. ", rng.pick(IDS))),
        6 => out.push_str(&format!("The service at {} keeps timing out. ", rng.pick(NETS))),
        7 => out.push_str(&format!("Oops, I pasted the key {} in the channel. ", rng.pick(SECRETS))),
        _ => out.push_str(&format!(
            "{} {} was born on {}.0{}.19{}. ",
            rng.pick(FIRST),
            rng.pick(LAST),
            10 + rng.below(18),
            1 + rng.below(9),
            50 + rng.below(49)
        )),
    }
}

fn filler(rng: &mut Rng, out: &mut String) {
    let lang = match rng.below(10) {
        0..=4 => EN,
        5 => DE,
        6 => FR,
        7 => ES,
        8 => IT,
        _ => NL,
    };
    out.push_str(rng.pick(lang));
}

/// Chat-like text of about `size` bytes: messages in six languages with about one item of
/// personal data per 500 bytes.
pub fn chat(seed: u64, size: usize) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(size + 512);
    let mut next_pii = 0;
    while out.len() < size {
        if out.len() >= next_pii {
            pii(&mut rng, &mut out);
            next_pii = out.len() + 350 + rng.below(300);
        } else {
            filler(&mut rng, &mut out);
        }
        if rng.below(4) == 0 {
            out.push('\n');
        }
    }
    out
}

/// English prose of about `size` bytes with no personal data.
pub fn prose(seed: u64, size: usize) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(size + 512);
    while out.len() < size {
        out.push_str(rng.pick(EN));
        if rng.below(5) == 0 {
            out.push('\n');
        }
    }
    out
}

/// Text of about `size` bytes that is mostly personal data.
pub fn dense(seed: u64, size: usize) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(size + 512);
    while out.len() < size {
        pii(&mut rng, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn generators_are_deterministic_and_sized() {
        for g in [super::chat, super::prose, super::dense] {
            let a = g(7, 20_000);
            assert_eq!(a, g(7, 20_000));
            assert_ne!(a, g(8, 20_000));
            assert!(a.len() >= 20_000 && a.len() < 21_000);
        }
    }
}
