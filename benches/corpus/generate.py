#!/usr/bin/env python3
"""Generates the labelled evaluation corpus: benches/corpus/dev.jsonl and test.jsonl.

Chat-like texts in English, German, French, Spanish, Italian and Dutch (support tickets,
HR messages, medical appointment chats, shipping questions, payments, IT help desk,
introductions, e-mail signatures) with every item of personal data labelled by kind and
by character (code point) and UTF-8 byte offsets. See benches/EVAL.md for the labelling
conventions.

Standard library only, no network, no input files: names, streets and towns come from
the hand lists below and from syllable combinations, not from the engine's
dictionaries, so that recall on names the dictionaries do not know is measured.
Checksummed values (card numbers, IBANs, NHS numbers) are generated and valid.

    python3 benches/corpus/generate.py            # writes dev.jsonl and test.jsonl
    python3 benches/corpus/generate.py --check    # regenerates in memory, compares with
                                                  # the committed files, validates spans

The generator uses its own PRNG (splitmix64), so the output is byte-identical on every
machine and Python version.
"""

import argparse
import ipaddress
import json
import os
import sys
import unicodedata

SEED = 20240611
RECORDS = 2000
HERE = os.path.dirname(os.path.abspath(__file__))

# Kinds with gold labels. A finding of any other kind has no label to be judged against.
KINDS = [
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
]


class Rng:
    """splitmix64: tiny, deterministic, independent of Python's `random`."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFFFFFFFFFF

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n

    def chance(self, p):
        return self.below(1_000_000) < int(p * 1_000_000)

    def pick(self, xs):
        return xs[self.below(len(xs))]

    def digits(self, n):
        return "".join(str(self.below(10)) for _ in range(n))

    def weighted(self, pairs):
        total = sum(w for _, w in pairs)
        r = self.below(total)
        for x, w in pairs:
            if r < w:
                return x
            r -= w
        return pairs[-1][0]


# ---------------------------------------------------------------------------------------
# Names

# Common names of each language: the kind any name dictionary knows.
COMMON_GIVEN = {
    "en": ["James", "Sarah", "Emily", "Michael", "Olivia", "Daniel", "Jessica", "Thomas", "Hannah", "Robert",
           "Laura", "David", "Rachel", "Christopher", "Megan", "Andrew", "Charlotte", "Matthew", "Sophie", "Ryan"],
    "de": ["Lukas", "Anna", "Jonas", "Lena", "Maximilian", "Katharina", "Felix", "Julia", "Tobias", "Sabine",
           "Jürgen", "Ursula", "Stefan", "Franziska", "Matthias", "Birgit", "Niklas", "Carina", "Wolfgang", "Heike"],
    "fr": ["Camille", "Lucas", "Manon", "Julien", "Chloé", "Nicolas", "Léa", "Mathieu", "Élodie", "Antoine",
           "Inès", "Guillaume", "Amélie", "François", "Margaux", "Sébastien", "Aurélie", "Hugo", "Clémence", "Thierry"],
    "es": ["Lucía", "Javier", "Carmen", "Alejandro", "Marta", "Sergio", "Paula", "Andrés", "Elena", "Raúl",
           "Nerea", "Álvaro", "Rocío", "Jorge", "Beatriz", "Iñigo", "Pilar", "Diego", "Ainhoa", "Manuel"],
    "it": ["Giulia", "Marco", "Francesca", "Alessandro", "Chiara", "Lorenzo", "Federica", "Matteo", "Valentina",
           "Davide", "Elisa", "Riccardo", "Silvia", "Andrea", "Martina", "Stefano", "Giorgia", "Luca", "Paola", "Nicola"],
    "nl": ["Sanne", "Daan", "Femke", "Bram", "Lieke", "Sem", "Anouk", "Thijs", "Eva", "Joost",
           "Marloes", "Ruben", "Ilse", "Pieter", "Maaike", "Jeroen", "Noor", "Wouter", "Fleur", "Koen"],
}
COMMON_SURNAME = {
    "en": ["Smith", "Johnson", "Williams", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thompson", "Walker",
           "Robinson", "Wright", "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris", "Clarke", "Jackson"],
    "de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
           "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger"],
    "fr": ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
           "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier"],
    "es": ["García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
           "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Navarro", "Torres"],
    "it": ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
           "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti"],
    "nl": ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
           "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
           "van der Linden"],
}

# Names from many cultures, written as they usually are in Latin script.
WORLD_NAMES = [
    # Chinese
    ("Xiang", "Zhou"), ("Wei", "Zhang"), ("Meiling", "Huang"), ("Jianguo", "Liu"), ("Xiaoyu", "Chen"),
    ("Haoran", "Wang"), ("Yuting", "Guo"), ("Zhiwei", "Xu"),
    # Yoruba
    ("Oluwaseun", "Adeyemi"), ("Adebayo", "Ogunleye"), ("Funmilayo", "Adesanya"), ("Temitope", "Okonjo"),
    ("Olumide", "Bakare"), ("Yetunde", "Afolabi"), ("Babatunde", "Oyelaran"),
    # Arabic
    ("Youssef", "El-Amrani"), ("Fatima", "Al-Zahrani"), ("Omar", "Haddad"), ("Layla", "Mansour"),
    ("Khalid", "Benali"), ("Nour", "Abdelrahman"), ("Rania", "Al-Khatib"),
    # Indian
    ("Priya", "Raghunathan"), ("Arjun", "Venkataraman"), ("Ananya", "Krishnamurthy"), ("Rohan", "Deshpande"),
    ("Kavya", "Subramanian"), ("Vikram", "Chaudhary"), ("Lakshmi", "Iyer"),
    # Vietnamese (family name first)
    ("Lan", "Nguyen", "Nguyen Thi Lan"), ("Minh", "Tran", "Tran Van Minh"), ("Huong", "Pham", "Pham Thi Huong"),
    ("Vinh", "Le", "Le Quang Vinh"), ("Tung", "Do", "Do Thanh Tung"),
    # Turkish
    ("Emre", "Yıldırım"), ("Ayşe", "Öztürk"), ("Mehmet", "Çelik"), ("Zeynep", "Aydın"), ("Burak", "Şahin"),
    ("Elif", "Karakaya"), ("Gökhan", "Demirtaş"),
    # Polish, Greek, Hungarian, Swahili, Korean, Japanese, Irish
    ("Małgorzata", "Wiśniewska"), ("Katarzyna", "Szczepańska"), ("Nikos", "Papadopoulos"), ("Eleni", "Georgiou"),
    ("Zsófia", "Horváth"), ("Wanjiru", "Kamau"), ("Baraka", "Mwangi"), ("Jiwoo", "Park"), ("Haruto", "Takahashi"),
    ("Aoife", "Ní Bhriain"), ("Siobhán", "O'Sullivan"),
]

# Names that are also common words: a detector must use context (and the corpus has the
# same words as non-names in the hard negatives).
WORDLIKE_GIVEN = ["Will", "May", "Grace", "Mark", "Rose", "Bill", "Joy", "Hope", "Victoria", "Paris", "Frank", "Jack"]

SYL_ONSET = ["b", "d", "f", "g", "k", "l", "m", "n", "r", "s", "t", "v", "z", "br", "dr", "gr", "kr", "tr", "vr",
             "sh", "th", "qu", "x", "zh", "kv", "y"]
SYL_VOWEL = ["a", "e", "i", "o", "u", "ae", "ei", "ou", "ia", "y"]
SYL_CODA = ["", "", "", "n", "r", "l", "s", "th", "x", "nd", "rk", "lv", "m", "z"]
GIVEN_ENDINGS = ["a", "o", "ia", "en", "is", "ara", "ec", "iel", "ette", "ik"]
SURNAME_ENDINGS = ["by", "wick", "ström", "escu", "ovic", "ridge", "ani", "ault", "heim", "ez", "quist", "enko",
                   "worth", "ardo", "ink"]


def syllable(rng):
    return rng.pick(SYL_ONSET) + rng.pick(SYL_VOWEL) + rng.pick(SYL_CODA)


def invented_given(rng):
    s = syllable(rng) + (syllable(rng) if rng.chance(0.4) else "") + rng.pick(GIVEN_ENDINGS)
    return s[0].upper() + s[1:]


def invented_surname(rng):
    s = syllable(rng) + syllable(rng) + rng.pick(SURNAME_ENDINGS)
    return s[0].upper() + s[1:]


def make_person(rng, lang):
    """(given, surname, full name): common, world, invented, or a common given name with
    an invented surname."""
    p = _make_person(rng, lang)
    return p if len(p) == 3 else (p[0], p[1], f"{p[0]} {p[1]}")


def _make_person(rng, lang):
    source = rng.weighted([("common", 40), ("world", 22), ("invented", 22), ("mixed", 10), ("wordlike", 6)])
    if source == "common":
        return rng.pick(COMMON_GIVEN[lang]), rng.pick(COMMON_SURNAME[lang])
    if source == "world":
        return rng.pick(WORLD_NAMES)
    if source == "invented":
        return invented_given(rng), invented_surname(rng)
    if source == "mixed":
        return rng.pick(COMMON_GIVEN[lang]), invented_surname(rng)
    return rng.pick(WORDLIKE_GIVEN), rng.pick(COMMON_SURNAME[lang])


def fold(s):
    """ASCII folding for e-mail local parts: 'Müller' -> 'mueller' style, roughly."""
    s = s.replace("ß", "ss").replace("ı", "i").replace("ł", "l").replace("Ł", "L").replace("đ", "d")
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if c.isascii() and (c.isalnum() or c in ".-_")).lower()


# ---------------------------------------------------------------------------------------
# Places

CITIES = {
    "us": ["Springfield", "Portland", "Austin", "Denver", "Sacramento", "Columbus", "Madison", "Albany", "Tucson",
           "Raleigh", "Boise", "Savannah", "Spokane", "New Haven", "Ann Arbor", "Baton Rouge"],
    "gb": ["Leeds", "Bristol", "Manchester", "Glasgow", "Cardiff", "Norwich", "Brighton", "Sheffield", "Oxford",
           "York", "Aberdeen", "Exeter", "Milton Keynes", "Stoke-on-Trent"],
    "de": ["Berlin", "Hamburg", "München", "Köln", "Leipzig", "Freiburg im Breisgau", "Frankfurt am Main",
           "Nürnberg", "Dresden", "Bielefeld", "Göttingen", "Regensburg", "Kassel", "Rostock", "Wuppertal"],
    "fr": ["Lyon", "Toulouse", "Bordeaux", "Nantes", "Lille", "Strasbourg", "Montpellier", "Rennes", "Grenoble",
           "Dijon", "Aix-en-Provence", "Clermont-Ferrand", "Saint-Étienne", "Brest", "Tours"],
    "es": ["Madrid", "Barcelona", "Valencia", "Sevilla", "Zaragoza", "Málaga", "Bilbao", "Valladolid", "Granada",
           "Alicante", "Salamanca", "San Sebastián", "Santiago de Compostela", "Córdoba", "Murcia"],
    "it": ["Milano", "Torino", "Bologna", "Firenze", "Napoli", "Genova", "Verona", "Padova", "Bari", "Palermo",
           "Trieste", "Reggio Emilia", "Perugia", "Bergamo", "Cagliari"],
    "nl": ["Amsterdam", "Rotterdam", "Utrecht", "Eindhoven", "Groningen", "Den Haag", "Haarlem", "Nijmegen",
           "Leiden", "Maastricht", "Zwolle", "Arnhem", "Delft", "'s-Hertogenbosch", "Amersfoort"],
}
US_STATES = [("IL", "62"), ("OR", "97"), ("TX", "78"), ("CO", "80"), ("CA", "95"), ("OH", "43"), ("WI", "53"),
             ("NY", "12"), ("AZ", "85"), ("NC", "27"), ("ID", "83"), ("GA", "31"), ("WA", "99"), ("CT", "06"),
             ("MI", "48"), ("LA", "70")]
GB_POSTCODE_AREAS = {"Leeds": "LS", "Bristol": "BS", "Manchester": "M", "Glasgow": "G", "Cardiff": "CF",
                     "Norwich": "NR", "Brighton": "BN", "Sheffield": "S", "Oxford": "OX", "York": "YO",
                     "Aberdeen": "AB", "Exeter": "EX", "Milton Keynes": "MK", "Stoke-on-Trent": "ST"}

STREET_STEMS = {
    "en": ["Baker", "Church", "Station", "Mill", "Park", "Victoria", "Oak", "Maple", "Elm", "Chestnut", "Highfield",
           "Kingsley", "Orchard", "Willow", "Mulberry", "Cedar"],
    "de": ["Haupt", "Bahnhof", "Schiller", "Goethe", "Linden", "Garten", "Kirch", "Berg", "Birken", "Mühlen",
           "Rosen", "Wald", "Eichen", "Sonnen", "Friedrich-Ebert-", "Kastanien"],
    "fr": ["de la Paix", "Victor Hugo", "des Lilas", "du Moulin", "de la République", "Jean Jaurès", "des Écoles",
           "du Général Leclerc", "Pasteur", "de la Gare", "des Tilleuls", "Émile Zola", "du Château"],
    "es": ["Mayor", "de Alcalá", "Real", "del Sol", "de la Constitución", "Gran Vía", "San Fernando",
           "de los Olmos", "Nueva", "del Carmen", "de Cervantes", "de la Estación"],
    "it": ["Roma", "Garibaldi", "Mazzini", "Dante", "Verdi", "Cavour", "dei Mille", "XX Settembre",
           "Vittorio Emanuele II", "della Repubblica", "San Martino", "dei Tigli"],
    "nl": ["Kerk", "Dorps", "Molen", "School", "Linden", "Stations", "Julianna", "Beatrix", "Wilhelmina", "Eiken",
           "Berken", "Prins Hendrik", "Spoor", "Nieuwe"],
}
EN_STREET_TYPES = ["Street", "Road", "Lane", "Avenue", "Close", "Drive", "Way", "Crescent", "St.", "Rd", "Ave"]
DE_STREET_TYPES = ["straße", "str.", "weg", "gasse", "allee", "platz", "ring"]
FR_STREET_TYPES = ["rue", "avenue", "boulevard", "allée", "impasse", "place", "chemin"]
ES_STREET_TYPES = ["Calle", "C/", "Avenida", "Avda.", "Paseo", "Plaza", "Camino"]
IT_STREET_TYPES = ["Via", "Viale", "Piazza", "Corso", "Vicolo", "Largo"]
NL_STREET_TYPES = ["straat", "weg", "laan", "plein", "gracht", "dreef", "singel"]


def invented_stem(rng):
    s = syllable(rng) + syllable(rng)
    return s[0].upper() + s[1:]


def house_number(rng):
    n = str(1 + rng.below(180))
    if rng.chance(0.12):
        n += rng.pick(["a", "b", "A", "B"])
    return n


def street(rng, country):
    """A street with its house number, in the country's order."""
    lang = {"us": "en", "gb": "en"}.get(country, country)
    stem = invented_stem(rng) if rng.chance(0.3) else rng.pick(STREET_STEMS[lang])
    num = house_number(rng)
    if country in ("us", "gb"):
        if stem.endswith("-"):
            stem = stem[:-1]
        return f"{num} {stem} {rng.pick(EN_STREET_TYPES)}"
    if country == "de":
        if rng.chance(0.15):
            return f"Am {rng.pick(['Markt', 'Anger', 'Hang', 'Mühlbach', 'Steinbruch'])} {num}"
        t = rng.pick(DE_STREET_TYPES)
        if stem.endswith("-"):
            return f"{stem}{t[0].upper() + t[1:]} {num}"
        return f"{stem}{t} {num}"
    if country == "fr":
        sep = ", " if rng.chance(0.15) else " "
        return f"{num}{sep}{rng.pick(FR_STREET_TYPES)} {stem}"
    if country == "es":
        sep = ", " if rng.chance(0.4) else " "
        extra = rng.pick(["", "", "", ", 3º B", ", 2º izq.", ", 1º"])
        return f"{rng.pick(ES_STREET_TYPES)} {stem}{sep}{num}{extra}"
    if country == "it":
        sep = ", " if rng.chance(0.3) else " "
        return f"{rng.pick(IT_STREET_TYPES)} {stem}{sep}{num}"
    if country == "nl":
        t = rng.pick(NL_STREET_TYPES)
        if " " in stem:
            return f"{stem}{rng.pick(['laan', 'straat'])} {num}"
        return f"{stem}{t} {num}"
    raise ValueError(country)


def postcode_city(rng, country, city):
    if country == "us":
        st, z = rng.pick(US_STATES)
        return f"{city}, {st} {z}{rng.digits(3)}"
    if country == "gb":
        area = GB_POSTCODE_AREAS.get(city, "LS")
        d = str(1 + rng.below(20))
        inward = f"{rng.below(10)}{rng.pick('ABDEFGHJLNPQRSTUWXYZ')}{rng.pick('ABDEFGHJLNPQRSTUWXYZ')}"
        return f"{city} {area}{d} {inward}"
    if country == "de":
        return f"{rng.below(9) + 1}{rng.digits(4)} {city}"
    if country == "fr":
        return f"{rng.below(9) + 1}{rng.digits(4)} {city}"
    if country == "es":
        return f"{rng.below(5)}{rng.below(9) + 1}{rng.digits(3)} {city}"
    if country == "it":
        return f"{rng.below(9)}{rng.digits(4)} {city}"
    if country == "nl":
        return f"{1 + rng.below(9)}{rng.digits(3)} {rng.pick('ABCDEGHJKLMNPRSTVWXZ')}{rng.pick('ABCDEGHJKLMNPRSTVWXZ')} {city}"
    raise ValueError(country)


def address(rng, country, sep=", "):
    """Street, number, postcode and town as one span. Now and then a town not in any
    gazetteer (an invented one): the address pattern must carry it."""
    city = invented_stem(rng) + rng.pick(["ton", "dorf", "ville", "ano", "wijk", "ham"]) if rng.chance(0.1) else \
        rng.pick(CITIES[country])
    return street(rng, country) + sep + postcode_city(rng, country, city)


# ---------------------------------------------------------------------------------------
# Structured values


def luhn_complete(prefix_digits, length, rng):
    body = prefix_digits + rng.digits(length - len(prefix_digits) - 1)
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def luhn_ok(number):
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def credit_card(rng):
    brand = rng.weighted([("visa", 45), ("mc", 35), ("amex", 12), ("disc", 8)])
    if brand == "amex":
        n = luhn_complete(rng.pick(["34", "37"]), 15, rng)
        sep = rng.pick([" ", "-", ""])
        return sep.join([n[:4], n[4:10], n[10:]])
    prefix = {"visa": "4", "mc": rng.pick(["51", "52", "53", "54", "55", "2221", "2720"]), "disc": "6011"}[brand]
    n = luhn_complete(prefix, 16, rng)
    sep = rng.weighted([(" ", 5), ("-", 2), ("", 3)])
    return sep.join(n[i:i + 4] for i in range(0, 16, 4))


def iban_check_digits(country, bban):
    converted = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{98 - int(converted) % 97:02d}"


def iban_ok(iban):
    s = iban.replace(" ", "")
    converted = "".join(str(int(c, 36)) for c in s[4:] + s[:4])
    return int(converted) % 97 == 1


IT_CIN_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]


def it_cin(s):
    total = 0
    for i, c in enumerate(s):
        v = int(c) if c.isdigit() else ord(c) - ord("A")
        total += IT_CIN_ODD[v] if i % 2 == 0 else v
    return chr(ord("A") + total % 26)


def nl_account(rng):
    while True:
        digits = rng.digits(10)
        if digits[0] != "0" and sum(int(d) * (10 - i) for i, d in enumerate(digits)) % 11 == 0:
            return digits


def es_control(rng_bank_branch, account):
    w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]

    def digit(ds):
        r = 11 - sum(int(d) * w[i] for i, d in enumerate(ds)) % 11
        return {11: 0, 10: 1}.get(r, r)

    return f"{digit('00' + rng_bank_branch)}{digit(account)}"


def iban(rng, country):
    if country == "de":
        bban = rng.digits(8) + rng.digits(10)
        cc = "DE"
    elif country == "at":
        bban = rng.digits(5) + rng.digits(11)
        cc = "AT"
    elif country == "fr":
        bank, branch, acct = rng.digits(5), rng.digits(5), rng.digits(11)
        key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(acct)) % 97
        bban = f"{bank}{branch}{acct}{key:02d}"
        cc = "FR"
    elif country == "es":
        bb = rng.digits(8)
        acct = rng.digits(10)
        bban = bb + es_control(bb, acct) + acct
        cc = "ES"
    elif country == "it":
        abi, cab, acct = rng.digits(5), rng.digits(5), rng.digits(12)
        bban = it_cin(abi + cab + acct) + abi + cab + acct
        cc = "IT"
    elif country == "nl":
        bban = rng.pick(["ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB"]) + nl_account(rng)
        cc = "NL"
    elif country == "be":
        first = rng.digits(10)
        chk = int(first) % 97 or 97
        bban = f"{first}{chk:02d}"
        cc = "BE"
    elif country == "gb":
        bban = rng.pick(["BARC", "LOYD", "HBUK", "NWBK", "MIDL"]) + rng.digits(6) + rng.digits(8)
        cc = "GB"
    else:
        raise ValueError(country)
    s = cc + iban_check_digits(cc, bban) + bban
    if rng.chance(0.65):
        return " ".join(s[i:i + 4] for i in range(0, len(s), 4))
    return s


def nhs_number(rng):
    while True:
        body = rng.digits(9)
        if body[0] == "0":
            continue
        r = 11 - sum(int(d) * (10 - i) for i, d in enumerate(body)) % 11
        if r == 11:
            r = 0
        if r == 10:
            continue
        n = body + str(r)
        return rng.pick([f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]} {n[3:6]} {n[6:]}", n, f"{n[:3]}-{n[3:6]}-{n[6:]}"])


def nhs_ok(s):
    d = s.replace(" ", "").replace("-", "")
    r = 11 - sum(int(c) * (10 - i) for i, c in enumerate(d[:9])) % 11
    return len(d) == 10 and (0 if r == 11 else r) == int(d[9])


def us_ssn(rng):
    while True:
        area = 1 + rng.below(899)
        if area != 666:
            break
    group = 1 + rng.below(99)
    serial = 1 + rng.below(9999)
    return f"{area:03d}-{group:02d}-{serial:04d}" if rng.chance(0.85) else f"{area:03d} {group:02d} {serial:04d}"


def ssn_ok(s):
    d = s.replace("-", "").replace(" ", "")
    area, group, serial = int(d[:3]), int(d[3:5]), int(d[5:])
    return len(d) == 9 and 0 < area < 900 and area != 666 and group > 0 and serial > 0


def phone(rng, country):
    if country == "us":
        a = rng.pick(["415", "312", "503", "617", "512", "720", "206", "919"])
        x = f"{2 + rng.below(8)}{rng.digits(2)}"
        y = rng.digits(4)
        return rng.pick([f"({a}) {x}-{y}", f"{a}-{x}-{y}", f"+1 {a} {x} {y}", f"{a}.{x}.{y}"])
    if country == "gb":
        return rng.pick([f"+44 20 {rng.digits(4)} {rng.digits(4)}", f"07{rng.digits(3)} {rng.digits(6)}",
                         f"+44 7{rng.digits(3)} {rng.digits(6)}", f"0113 {rng.digits(3)} {rng.digits(4)}"])
    if country == "de":
        return rng.pick([f"+49 30 {rng.digits(8)}", f"0176 {rng.digits(8)}", f"+49 (0)89 {rng.digits(3)} {rng.digits(4)}",
                         f"040/{rng.digits(7)}", f"+49 151 {rng.digits(4)} {rng.digits(4)}"])
    if country == "fr":
        p = " ".join(rng.digits(2) for _ in range(4))
        return rng.pick([f"06 {p}", f"+33 6 {p}", f"01 {p}", f"+33 (0)1 {p}", "07." + ".".join(rng.digits(2) for _ in range(4))])
    if country == "es":
        return rng.pick([f"+34 6{rng.digits(2)} {rng.digits(3)} {rng.digits(3)}", f"6{rng.digits(2)} {rng.digits(2)} {rng.digits(2)} {rng.digits(2)}",
                         f"91 {rng.digits(3)} {rng.digits(2)} {rng.digits(2)}", f"+34 93 {rng.digits(3)} {rng.digits(4)}"])
    if country == "it":
        return rng.pick([f"+39 3{rng.digits(2)} {rng.digits(3)} {rng.digits(4)}", f"3{rng.digits(2)} {rng.digits(7)}",
                         f"02 {rng.digits(4)} {rng.digits(4)}", f"+39 06 {rng.digits(8)}"])
    if country == "nl":
        return rng.pick([f"+31 6 {rng.digits(8)}", f"06-{rng.digits(8)}", f"020 {rng.digits(3)} {rng.digits(4)}",
                         f"+31 (0)30 {rng.digits(3)} {rng.digits(4)}", f"06 {rng.digits(2)} {rng.digits(2)} {rng.digits(2)} {rng.digits(2)}"])
    raise ValueError(country)


def ip_address(rng):
    if rng.chance(0.15):
        if rng.chance(0.5):
            # Eight groups in full, or fewer with "::" standing for the zero groups left out
            # ("2001:db8:5296:4c21" without it is no valid address).
            groups = [f"{rng.below(65536):x}" for _ in range(rng.pick([2, 3, 6]))]
            return ("2001:db8:" if len(groups) == 6 else "2001:db8::") + ":".join(groups)
        return f"fe80::{rng.below(65536):x}:{rng.below(65536):x}"
    first = rng.pick([10, 172, 192, 81, 93, 145, 203, 62, 85])
    if first == 192:
        return f"192.168.{rng.below(256)}.{1 + rng.below(254)}"
    if first == 172:
        return f"172.{16 + rng.below(16)}.{rng.below(256)}.{1 + rng.below(254)}"
    return f"{first}.{rng.below(256)}.{rng.below(256)}.{1 + rng.below(254)}"


def url(rng, given, surname):
    user = fold(given + surname)[:14] or "user"
    host = rng.pick(["www." + invented_stem(rng).lower() + ".com", invented_stem(rng).lower() + ".io",
                     "portal." + invented_stem(rng).lower() + ".de", invented_stem(rng).lower() + ".fr",
                     "intranet." + invented_stem(rng).lower() + ".net"])
    return rng.pick([f"https://{host}/u/{user}", f"https://{host}/profile/{user}-{rng.digits(3)}",
                     f"http://{host}/tickets/{rng.digits(5)}", f"https://{host}/", f"www.{fold(surname) or 'site'}-{rng.digits(2)}.eu",
                     f"https://{host}/reset?token={rng.digits(6)}&uid={rng.digits(4)}"])


MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
           "novembre", "dicembre"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"],
}


def date(rng, lang, year):
    d, m = 1 + rng.below(28), 1 + rng.below(12)
    mn = MONTHS[lang][m - 1]
    if lang == "en":
        return rng.pick([f"{mn} {d}, {year}", f"{d} {mn} {year}", f"{m:02d}/{d:02d}/{year}", f"{year}-{m:02d}-{d:02d}",
                         f"{d:02d}/{m:02d}/{year}"])
    if lang == "de":
        return rng.pick([f"{d:02d}.{m:02d}.{year}", f"{d}. {mn} {year}", f"{d}.{m}.{year}"])
    if lang == "fr":
        return rng.pick([f"{d:02d}/{m:02d}/{year}", f"{d} {mn} {year}", f"{'1er' if d == 1 else d} {mn} {year}"])
    if lang == "es":
        return rng.pick([f"{d:02d}/{m:02d}/{year}", f"{d} de {mn} de {year}", f"{d}-{m}-{year}"])
    if lang == "it":
        return rng.pick([f"{d:02d}/{m:02d}/{year}", f"{d} {mn} {year}", f"{d:02d}.{m:02d}.{year}"])
    if lang == "nl":
        return rng.pick([f"{d:02d}-{m:02d}-{year}", f"{d} {mn} {year}", f"{d:02d}/{m:02d}/{year}"])
    raise ValueError(lang)


def dob(rng, lang):
    return date(rng, lang, 1938 + rng.below(70))


CONDITIONS = {
    "en": ["asthma", "type 2 diabetes", "migraine", "hypertension", "depression", "epilepsy", "Crohn's disease",
           "COPD", "ADHD", "rheumatoid arthritis", "a herniated disc", "celiac disease", "anxiety disorder",
           "psoriasis", "multiple sclerosis", "sleep apnea", "the flu", "high blood pressure", "an ear infection",
           "bronchitis", "HIV", "breast cancer", "tonsillitis", "gout"],
    "de": ["Asthma", "Diabetes", "Migräne", "Bluthochdruck", "Depression", "Epilepsie", "Morbus Crohn",
           "Rheuma", "Bandscheibenvorfall", "Zöliakie", "Angststörung", "Schuppenflechte",
           "Multiple Sklerose", "Grippe", "Mittelohrentzündung", "Bronchitis", "Heuschnupfen",
           "Gürtelrose", "Neurodermitis", "Schilddrüsenunterfunktion"],
    "fr": ["asthme", "diabète", "migraine", "hypertension", "dépression", "épilepsie", "maladie de Crohn",
           "polyarthrite rhumatoïde", "hernie discale", "maladie cœliaque", "trouble anxieux", "psoriasis",
           "sclérose en plaques", "grippe", "otite", "bronchite", "zona", "eczéma", "hypothyroïdie", "angine"],
    "es": ["asma", "diabetes", "migraña", "hipertensión", "depresión", "epilepsia", "enfermedad de Crohn",
           "artritis reumatoide", "una hernia discal", "celiaquía", "ansiedad", "psoriasis", "esclerosis múltiple",
           "gripe", "otitis", "bronquitis", "herpes zóster", "dermatitis atópica", "hipotiroidismo", "anemia"],
    "it": ["asma", "diabete", "emicrania", "ipertensione", "depressione", "epilessia", "morbo di Crohn",
           "artrite reumatoide", "un'ernia del disco", "celiachia", "disturbo d'ansia", "psoriasi",
           "sclerosi multipla", "influenza", "otite", "bronchite", "fuoco di Sant'Antonio", "dermatite atopica",
           "ipotiroidismo", "anemia"],
    "nl": ["astma", "diabetes", "migraine", "hoge bloeddruk", "depressie", "epilepsie", "de ziekte van Crohn",
           "reumatoïde artritis", "een hernia", "coeliakie", "een angststoornis", "psoriasis", "multiple sclerose",
           "griep", "een oorontsteking", "bronchitis", "gordelroos", "eczeem", "hooikoorts", "bloedarmoede"],
}
# Articles that belong to the sentence, not to the term.
ARTICLES = ("a ", "an ", "the ", "una ", "un'", "een ", "de ")

MEDICATIONS = {
    "en": ["ibuprofen", "metformin", "Ventolin", "sertraline", "amoxicillin", "paracetamol", "insulin", "omeprazole",
           "levothyroxine", "Ritalin", "atorvastatin", "lisinopril", "Tylenol", "Advil", "prednisone", "Xanax",
           "citalopram", "salbutamol"],
    "de": ["Ibuprofen", "Metformin", "Ramipril", "Paracetamol", "L-Thyroxin", "Pantoprazol", "Novaminsulfon",
           "Insulin", "Amoxicillin", "Sertralin", "Cortison", "Aspirin", "Simvastatin", "Metoprolol", "Voltaren"],
    "fr": ["Doliprane", "paracétamol", "ibuprofène", "Lévothyrox", "metformine", "amoxicilline", "insuline",
           "oméprazole", "Spasfon", "Ventoline", "sertraline", "Kardégic", "Efferalgan", "prednisolone"],
    "es": ["ibuprofeno", "paracetamol", "metformina", "Nolotil", "omeprazol", "amoxicilina", "insulina",
           "Eutirox", "enalapril", "sertralina", "Ventolin", "Adiro", "Gelocatil", "lorazepam"],
    "it": ["Tachipirina", "ibuprofene", "paracetamolo", "metformina", "Eutirox", "amoxicillina", "insulina",
           "omeprazolo", "Moment", "sertralina", "Brufen", "Cardioaspirina", "Augmentin", "Xanax"],
    "nl": ["paracetamol", "ibuprofen", "metformine", "omeprazol", "amoxicilline", "insuline", "levothyroxine",
           "salbutamol", "sertraline", "Ventolin", "oxazepam", "diclofenac", "simvastatine", "Nurofen"],
}

EMAIL_DOMAINS = {
    "en": ["gmail.com", "outlook.com", "yahoo.co.uk", "hotmail.com", "icloud.com", "protonmail.com"],
    "de": ["gmx.de", "web.de", "t-online.de", "gmail.com", "posteo.de"],
    "fr": ["orange.fr", "free.fr", "laposte.net", "gmail.com", "sfr.fr"],
    "es": ["gmail.com", "hotmail.es", "yahoo.es", "telefonica.net"],
    "it": ["libero.it", "gmail.com", "virgilio.it", "tiscali.it", "alice.it"],
    "nl": ["ziggo.nl", "kpnmail.nl", "gmail.com", "hotmail.nl", "xs4all.nl"],
}


def email(rng, lang, given, surname):
    g, s = fold(given.split()[0]), fold(surname.replace(" ", ""))
    local = rng.pick([f"{g}.{s}", f"{g[:1]}{s}", f"{g}{rng.digits(2)}", f"{s}.{g}", f"{g}_{s}{rng.digits(1)}"])
    dom = rng.pick(EMAIL_DOMAINS[lang]) if rng.chance(0.6) else invented_stem(rng).lower() + rng.pick(
        [".com", ".eu", ".co", ".org", "-group.com"])
    return f"{local}@{dom}"


# ---------------------------------------------------------------------------------------
# Non-personal fillers for the hard negatives


def order_no(rng):
    return rng.pick([f"#{rng.digits(6)}", f"A-{2019 + rng.below(6)}-{rng.digits(5)}", f"{rng.digits(3)}-{rng.digits(7)}-{rng.digits(7)}",
                     f"ORD{rng.digits(8)}", f"{rng.digits(10)}"])


def version(rng):
    return rng.pick([f"{rng.below(6)}.{rng.below(20)}.{rng.below(30)}", f"v{1 + rng.below(4)}.{rng.below(12)}",
                     f"{rng.below(3) + 1}.{rng.below(10)}.{rng.below(10)}.{rng.digits(4)}"])


def price(rng, lang):
    euros, cents = 3 + rng.below(400), rng.below(100)
    if lang == "en":
        return rng.pick([f"${euros}.{cents:02d}", f"£{euros}.{cents:02d}", f"{euros}.{cents:02d} USD"])
    return rng.pick([f"{euros},{cents:02d} €", f"€{euros},{cents:02d}", f"{euros},{cents:02d} EUR", f"{euros} €"])


def clock(rng, lang):
    h, m = 7 + rng.below(12), rng.pick([0, 15, 30, 45, 10, 50])
    if lang == "en":
        return rng.pick([f"{h}:{m:02d}", f"{h if h <= 12 else h - 12}:{m:02d} {'am' if h < 12 else 'pm'}"])
    if lang == "fr":
        return rng.pick([f"{h}h{m:02d}", f"{h}:{m:02d}"])
    return f"{h}:{m:02d}"


def tracking(rng):
    return rng.pick([f"1Z{rng.digits(3)}AA{rng.digits(10)}", f"JJD{rng.digits(18)}", f"{rng.digits(12)}",
                     f"LX{rng.digits(9)}DE"])


# ---------------------------------------------------------------------------------------
# Templates
#
# {KIND} slots are personal data and become spans: NAME, GIVEN, SURNAME (the record's
# person), NAME2 (someone else), EMAIL, PHONE, ADDRESS (street to town), ADDRESS_NL
# (street and postcode on two lines), STREET (street and number only), CITY, CITY2, CARD,
# IBAN, IP, URL, DOB, COND, MED, SSN, NHS. A "|lower" or "|upper" suffix changes the case.
# {~x} slots are fillers that are not personal data: ~order, ~version, ~price, ~time,
# ~date, ~tracking, ~n.

T = {}

T["en"] = {
    "support": [
        "Hi, my name is {NAME} and I still haven't received a refund for order {~order}. You can reach me at {EMAIL} or {PHONE}.",
        "Hello support, this is {NAME}. My login stopped working after the update to {~version}; please reset the account linked to {EMAIL}.",
        "Dear {NAME}, thank you for contacting us. Your ticket {~order} has been escalated and a colleague will call you on {PHONE}.",
        "Customer: {NAME}\nEmail: {EMAIL}\nPhone: {PHONE}\nIssue: charged twice ({~price}) for the same order.",
        "hey its {NAME|lower}, can u change the email on my account to {EMAIL}? thx",
        "Please update my billing address to {ADDRESS}. The old one is no longer valid. Thanks, {GIVEN}",
        "I spoke with {NAME2} on the phone yesterday and she said the replacement would ship by {~date}.",
        "Could you send the invoice to {EMAIL}? Our accounts team ({NAME2}) needs it before {~time} tomorrow.",
    ],
    "hr": [
        "Hi {GIVEN}, welcome aboard! Please send your bank details (IBAN {IBAN}) and your date of birth to HR before Friday.",
        "New starter: {NAME}, born {DOB}, starts on Monday in the {CITY} office. Personal email: {EMAIL}.",
        "Employee {NAME} (DOB {DOB}) has changed address: new address is {ADDRESS}.",
        "Dear Mr {SURNAME}, we are pleased to offer you the position. Please confirm by replying to {EMAIL}.",
        "Payroll note: salary for {NAME} should go to {IBAN} from next month; old account closed.",
        "Reminder from {NAME2}: timesheets are due by {~time} on Friday. Questions go to {EMAIL}.",
        "Ms {SURNAME} called in sick today with {COND}; she expects to be back on Wednesday.",
    ],
    "medical": [
        "Patient: {NAME}\nDOB: {DOB}\nDiagnosis: {COND}\nMedication: {MED} twice daily",
        "Hi Dr. {SURNAME}, this is {NAME2}. My son has {COND} again and the {MED} isn't helping. Can we book an appointment?",
        "Your appointment with Dr. {SURNAME} is confirmed for {~date} at {~time}. Please bring a list of your medications.",
        "I was diagnosed with {COND} last year and I take {MED} every morning. Is it safe to travel to {CITY}?",
        "Reminder for {NAME}: please pick up your prescription for {MED} at the pharmacy. Call {PHONE} if you have questions.",
        "My daughter {GIVEN} was born on {DOB} and has {COND}; we need a specialist referral.",
        "Can I take {MED} together with {MED2}? I have {COND}.",
    ],
    "shipping": [
        "Where is my parcel? Tracking number {~tracking}. It should go to {ADDRESS}.",
        "Please deliver to {NAME}, {ADDRESS}. Call {PHONE} before delivery.",
        "The courier left the package with my neighbour {NAME2} at {STREET}. Order {~order}.",
        "Hi, I moved to {CITY} last month, so please ship the replacement to my new address: {ADDRESS}.",
        "Ship to:\n{NAME}\n{ADDRESS_NL}\n{PHONE}",
        "Is it possible to pick up order {~order} in your {CITY} store instead? Total was {~price}.",
    ],
    "payment": [
        "I paid with my card {CARD} but the payment failed. Can you check? Order {~order}, amount {~price}.",
        "Please refund {~price} to IBAN {IBAN} (account holder: {NAME}).",
        "card number: {CARD}, exp 0{~n}/2{~n}, name on card {NAME|upper}",
        "The direct debit from {IBAN} bounced, please try again on {~date}.",
        "My new card ends differently, full number {CARD}. The old one was stolen in {CITY}.",
    ],
    "it": [
        "Our VPN blocks me: my IP is {IP} and the error says access denied. Username {EMAIL}.",
        "Please whitelist {IP} and {IP2} for the staging server running {~version}.",
        "{NAME} reported a phishing mail linking to {URL}; the sender was {EMAIL2}.",
        "The password reset link {URL} doesn't work for me ({EMAIL}).",
        "Login attempts from {IP} for user {EMAIL} were blocked at {~time}.",
        "My portfolio is at {URL}, feel free to share it with {NAME2}.",
    ],
    "us_id": [
        "For the background check I need your SSN. Mine is {SSN} if you need an example of the format, {GIVEN}.",
        "Applicant: {NAME}\nSSN: {SSN}\nDate of birth: {DOB}\nAddress: {ADDRESS}",
        "Please update my tax form, my social security number is {SSN}.",
        "Hi {GIVEN}, the bank needs your SSN ({SSN}) and your date of birth ({DOB}) to open the account.",
        "Employee: {NAME}, SSN {SSN}, phone {PHONE}. Direct deposit form attached.",
        "ssn {SSN} dob {DOB} - is that enough for the insurance claim?",
    ],
    "uk_id": [
        "My NHS number is {NHS} and my GP surgery is in {CITY}. Could you send the results to {EMAIL}?",
        "Patient {NAME}, NHS no. {NHS}, referred for {COND}.",
        "Hi, I'm registering with the practice. Name: {NAME}, NHS number: {NHS}, DOB {DOB}.",
        "Referral for {NAME} (NHS {NHS}) to the {CITY} clinic: suspected {COND}, currently on {MED}.",
        "Can you check my prescription? NHS number {NHS}, I'm on {MED} for {COND}.",
        "Dear {NAME}, your NHS number is {NHS}. Please quote it when you call {PHONE}.",
    ],
    "intro": [
        "Hi everyone, I'm {NAME}, I just joined the team and I'm based in {CITY}.",
        "My name is {NAME} and I live in {CITY}, happy to meet for coffee.",
        "Thanks {GIVEN}! Say hi to {NAME2} from me.",
        "We're flying from {CITY} to {CITY2} on {~date}, {NAME2} will pick us up.",
        "i'm {NAME|lower}, from {CITY|lower}, anyone up for football on sunday?",
        "Shout out to {NAME2} for covering my shift while I was off with {COND}.",
    ],
}
T["en_sign"] = [
    "Best regards,\n{NAME}\n{PHONE}",
    "Kind regards,\n{NAME}\nCustomer Success Manager\n{EMAIL} | {PHONE}",
    "Cheers,\n{GIVEN}",
    "Thanks,\n{NAME}\n{ADDRESS_NL}",
    "--\n{NAME}\n{URL}\nMobile: {PHONE}",
]
T["en_neg"] = [
    "Will you be able to join the call at {~time}?",
    "May I ask why the order {~order} was cancelled?",
    "We have a grace period of 30 days for returns.",
    "It's really cold outside today, so the delivery might be late.",
    "The course covers the Great Depression and the New Deal.",
    "Version {~version} fixed the crash on startup.",
    "The total came to {~price} including shipping.",
    "Please mark the box as fragile and bill the shipping to our account.",
    "Our office hours are 9:00 to 17:30, Monday to Friday.",
    "In May we're moving the servers to the new data centre.",
    "The rose bushes in the garden need watering at {~time}.",
    "Order {~order} was shipped on {~date}; it usually takes 3 to 5 working days.",
    "Frank feedback from the survey: the app is too slow on older phones.",
    "Our hope is that version {~version} will be the last patch this year.",
    "Meeting room 4B is booked from {~time} until {~time2}.",
    "The invoice number is {~order} and the amount due is {~price}.",
    "Press release 2023-11 was approved; we sold 15,000 units in Q3.",
    "Please read chapter 7 (pages 120-145) before the workshop.",
]
T["en_fill"] = [
    "Thanks in advance!",
    "Let me know if you need anything else.",
    "Sorry for the late reply, it's been a busy week.",
    "I hope this can be sorted out quickly.",
    "Have a nice weekend.",
    "Looking forward to hearing from you.",
]

T["de"] = {
    "support": [
        "Hallo, mein Name ist {NAME} und ich warte immer noch auf die Erstattung für Bestellung {~order}. Erreichbar unter {EMAIL} oder {PHONE}.",
        "Guten Tag, hier ist {NAME}. Seit dem Update auf {~version} funktioniert mein Login nicht mehr; bitte das Konto {EMAIL} zurücksetzen.",
        "Sehr geehrte Frau {SURNAME}, vielen Dank für Ihre Nachricht. Ihr Ticket {~order} wurde weitergeleitet, wir rufen Sie unter {PHONE} zurück.",
        "Kunde: {NAME}\nE-Mail: {EMAIL}\nTelefon: {PHONE}\nProblem: doppelt abgebucht ({~price}).",
        "hi, hier {NAME|lower}, kannst du die mail-adresse in meinem konto auf {EMAIL} ändern? danke",
        "Bitte ändern Sie meine Rechnungsadresse auf {ADDRESS}. Die alte ist nicht mehr gültig. Gruß, {GIVEN}",
        "Ich habe gestern mit {NAME2} telefoniert, der Ersatz soll bis {~date} verschickt werden.",
        "Können Sie die Rechnung an {EMAIL} schicken? Unsere Buchhaltung ({NAME2}) braucht sie bis morgen {~time} Uhr.",
    ],
    "hr": [
        "Hallo {GIVEN}, herzlich willkommen! Bitte schick der Personalabteilung bis Freitag deine IBAN ({IBAN}) und dein Geburtsdatum.",
        "Neuer Mitarbeiter: {NAME}, geboren am {DOB}, beginnt am Montag im Büro {CITY}. Private E-Mail: {EMAIL}.",
        "Mitarbeiterin {NAME} (geb. {DOB}) ist umgezogen, neue Anschrift: {ADDRESS}.",
        "Sehr geehrter Herr {SURNAME}, wir freuen uns, Ihnen die Stelle anbieten zu können. Bitte bestätigen Sie per Mail an {EMAIL}.",
        "Hinweis Lohnbuchhaltung: Gehalt für {NAME} ab nächsten Monat auf {IBAN} überweisen.",
        "Erinnerung von {NAME2}: Stundenzettel bitte bis Freitag {~time} Uhr abgeben. Fragen an {EMAIL}.",
        "Frau {SURNAME} hat sich heute mit {COND} krankgemeldet und ist voraussichtlich Mittwoch zurück.",
    ],
    "medical": [
        "Patient: {NAME}\nGeburtsdatum: {DOB}\nDiagnose: {COND}\nMedikation: {MED} 2x täglich",
        "Guten Tag Dr. {SURNAME}, hier ist {NAME2}. Mein Sohn hat wieder {COND} und {MED} hilft nicht. Können wir einen Termin machen?",
        "Ihr Termin bei Dr. {SURNAME} ist am {~date} um {~time} Uhr bestätigt. Bitte bringen Sie Ihren Medikationsplan mit.",
        "Bei mir wurde letztes Jahr {COND} festgestellt, ich nehme jeden Morgen {MED}. Darf ich nach {CITY} fliegen?",
        "Erinnerung für {NAME}: Ihr Rezept für {MED} liegt in der Apotheke bereit. Bei Fragen {PHONE} anrufen.",
        "Meine Tochter {GIVEN} ist am {DOB} geboren und hat {COND}; wir brauchen eine Überweisung zum Facharzt.",
        "Darf ich {MED} zusammen mit {MED2} nehmen? Ich habe {COND}.",
    ],
    "shipping": [
        "Wo bleibt mein Paket? Sendungsnummer {~tracking}. Lieferadresse: {ADDRESS}.",
        "Bitte liefern an {NAME}, {ADDRESS}. Vorher unter {PHONE} anrufen.",
        "Der Bote hat das Paket bei meinem Nachbarn {NAME2} in der {STREET} abgegeben. Bestellung {~order}.",
        "Ich bin letzten Monat nach {CITY} gezogen, bitte schickt den Ersatz an meine neue Adresse: {ADDRESS}.",
        "Lieferanschrift:\n{NAME}\n{ADDRESS_NL}\nTel. {PHONE}",
        "Kann ich Bestellung {~order} auch in eurer Filiale in {CITY} abholen? Betrag war {~price}.",
    ],
    "payment": [
        "Ich habe mit meiner Karte {CARD} bezahlt, aber die Zahlung ist fehlgeschlagen. Bestellung {~order}, Betrag {~price}.",
        "Bitte erstatten Sie {~price} auf IBAN {IBAN} (Kontoinhaber: {NAME}).",
        "Kartennummer: {CARD}, gültig bis 0{~n}/2{~n}, Karteninhaber {NAME|upper}",
        "Die Lastschrift von {IBAN} ist zurückgegangen, bitte am {~date} erneut einziehen.",
        "Meine neue Karte hat die Nummer {CARD}. Die alte wurde mir in {CITY} gestohlen.",
    ],
    "it": [
        "Das VPN blockiert mich: meine IP ist {IP}, Fehlermeldung Zugriff verweigert. Benutzer {EMAIL}.",
        "Bitte {IP} und {IP2} für den Staging-Server mit {~version} freischalten.",
        "{NAME} hat eine Phishing-Mail mit dem Link {URL} gemeldet; Absender war {EMAIL2}.",
        "Der Link zum Zurücksetzen {URL} funktioniert bei mir nicht ({EMAIL}).",
        "Anmeldeversuche von {IP} für {EMAIL} wurden um {~time} Uhr blockiert.",
        "Mein Portfolio findest du unter {URL}, gerne an {NAME2} weiterleiten.",
    ],
    "intro": [
        "Hallo zusammen, ich bin {NAME}, neu im Team und sitze in {CITY}.",
        "Ich heiße {NAME} und wohne in {CITY}, melde dich gern.",
        "Danke {GIVEN}! Grüß {NAME2} von mir.",
        "Wir fliegen am {~date} von {CITY} nach {CITY2}, {NAME2} holt uns ab.",
        "bin {NAME|lower} aus {CITY|lower}, wer hat lust auf fußball am sonntag?",
        "Danke an {NAME2}, der meine Schicht übernommen hat, als ich mit {COND} ausgefallen bin.",
    ],
}
T["de_sign"] = [
    "Mit freundlichen Grüßen\n{NAME}\n{PHONE}",
    "Viele Grüße\n{NAME}\nKundenbetreuung\n{EMAIL} | {PHONE}",
    "LG {GIVEN}",
    "Beste Grüße,\n{NAME}\n{ADDRESS_NL}",
    "--\n{NAME}\n{URL}\nMobil: {PHONE}",
]
T["de_neg"] = [
    "Kannst du um {~time} Uhr beim Call dabei sein?",
    "Im Mai ziehen die Server ins neue Rechenzentrum um.",
    "Es ist heute sehr kalt draußen, die Lieferung kann sich verspäten.",
    "Die Weltwirtschaftskrise und die Große Depression sind Thema im Kurs.",
    "Version {~version} behebt den Absturz beim Start.",
    "Der Gesamtbetrag war {~price} inklusive Versand.",
    "Bestellung {~order} wurde am {~date} versandt, Lieferzeit 3 bis 5 Werktage.",
    "Unsere Öffnungszeiten sind Montag bis Freitag von 9:00 bis 17:30 Uhr.",
    "Die Rosen im Garten müssen um {~time} Uhr gegossen werden.",
    "Rechnungsnummer {~order}, offener Betrag {~price}.",
    "Bitte Kapitel 7 (Seite 120-145) vor dem Workshop lesen.",
    "Besprechungsraum 4B ist von {~time} bis {~time2} Uhr gebucht.",
    "Wir haben im dritten Quartal 15.000 Stück verkauft.",
    "Die Frist für Rücksendungen beträgt 30 Tage.",
]
T["de_fill"] = [
    "Vielen Dank im Voraus!",
    "Sag Bescheid, wenn du noch etwas brauchst.",
    "Sorry für die späte Antwort, war eine stressige Woche.",
    "Ich hoffe, das lässt sich schnell klären.",
    "Schönes Wochenende!",
]

T["fr"] = {
    "support": [
        "Bonjour, je m'appelle {NAME} et je n'ai toujours pas reçu le remboursement de la commande {~order}. Vous pouvez me joindre à {EMAIL} ou au {PHONE}.",
        "Bonjour, ici {NAME}. Depuis la mise à jour {~version} je ne peux plus me connecter ; merci de réinitialiser le compte {EMAIL}.",
        "Chère Madame {SURNAME}, merci pour votre message. Votre dossier {~order} a été transmis, un conseiller vous rappellera au {PHONE}.",
        "Client : {NAME}\nE-mail : {EMAIL}\nTéléphone : {PHONE}\nProblème : débité deux fois ({~price}).",
        "slt c {NAME|lower}, tu peux changer le mail de mon compte pour {EMAIL} ? merci",
        "Merci de modifier mon adresse de facturation : {ADDRESS}. L'ancienne n'est plus valable. Cordialement, {GIVEN}",
        "J'ai eu {NAME2} au téléphone hier, le remplacement devrait partir avant le {~date}.",
        "Pouvez-vous envoyer la facture à {EMAIL} ? Notre comptable ({NAME2}) en a besoin demain avant {~time}.",
    ],
    "hr": [
        "Bonjour {GIVEN}, bienvenue ! Merci d'envoyer ton RIB (IBAN {IBAN}) et ta date de naissance aux RH avant vendredi.",
        "Nouvelle recrue : {NAME}, né le {DOB}, commence lundi au bureau de {CITY}. E-mail perso : {EMAIL}.",
        "Le salarié {NAME} (date de naissance : {DOB}) a déménagé ; nouvelle adresse : {ADDRESS}.",
        "Monsieur {SURNAME}, nous avons le plaisir de vous proposer le poste. Merci de confirmer par retour à {EMAIL}.",
        "Note paie : le salaire de {NAME} est à verser sur {IBAN} à partir du mois prochain.",
        "Rappel de {NAME2} : les feuilles de temps sont à rendre vendredi avant {~time}. Questions à {EMAIL}.",
        "Mme {SURNAME} est en arrêt aujourd'hui pour {COND}, retour prévu mercredi.",
    ],
    "medical": [
        "Patient : {NAME}\nDate de naissance : {DOB}\nDiagnostic : {COND}\nTraitement : {MED} matin et soir",
        "Bonjour Docteur {SURNAME}, c'est {NAME2}. Mon fils refait une crise ({COND}) et {MED} ne fait rien. Peut-on prendre rendez-vous ?",
        "Votre rendez-vous avec le Dr {SURNAME} est confirmé le {~date} à {~time}. Apportez votre ordonnance.",
        "Je suis suivie pour {COND} depuis l'an dernier et je prends {MED} tous les matins. Puis-je partir à {CITY} ?",
        "Rappel pour {NAME} : votre ordonnance de {MED} est prête à la pharmacie. Questions au {PHONE}.",
        "Ma fille {GIVEN} est née le {DOB}, diagnostic : {COND} ; il nous faut une lettre pour le spécialiste.",
        "Est-ce que je peux prendre {MED} en même temps que {MED2} ? Je suis traité pour {COND}.",
    ],
    "shipping": [
        "Où est mon colis ? Numéro de suivi {~tracking}. Il doit être livré au {ADDRESS}.",
        "Merci de livrer à {NAME}, {ADDRESS}. Appeler le {PHONE} avant la livraison.",
        "Le livreur a laissé le colis chez mon voisin {NAME2}, {STREET}. Commande {~order}.",
        "J'ai déménagé à {CITY} le mois dernier, envoyez le remplacement à ma nouvelle adresse : {ADDRESS}.",
        "Adresse de livraison :\n{NAME}\n{ADDRESS_NL}\nTél. {PHONE}",
        "Je peux retirer la commande {~order} dans votre magasin de {CITY} ? Le total était de {~price}.",
    ],
    "payment": [
        "J'ai payé avec ma carte {CARD} mais le paiement a échoué. Commande {~order}, montant {~price}.",
        "Merci de rembourser {~price} sur l'IBAN {IBAN} (titulaire : {NAME}).",
        "numéro de carte : {CARD}, exp 0{~n}/2{~n}, titulaire {NAME|upper}",
        "Le prélèvement sur {IBAN} a été rejeté, merci de le représenter le {~date}.",
        "Ma nouvelle carte porte le numéro {CARD}. L'ancienne m'a été volée à {CITY}.",
    ],
    "it": [
        "Le VPN me bloque : mon IP est {IP}, message accès refusé. Identifiant {EMAIL}.",
        "Merci d'autoriser {IP} et {IP2} sur le serveur de recette ({~version}).",
        "{NAME} a signalé un mail d'hameçonnage avec le lien {URL} ; l'expéditeur était {EMAIL2}.",
        "Le lien de réinitialisation {URL} ne marche pas pour moi ({EMAIL}).",
        "Des tentatives de connexion depuis {IP} pour {EMAIL} ont été bloquées à {~time}.",
        "Mon portfolio est sur {URL}, n'hésite pas à le transmettre à {NAME2}.",
    ],
    "intro": [
        "Bonjour à tous, je suis {NAME}, j'arrive dans l'équipe et je travaille depuis {CITY}.",
        "Je m'appelle {NAME} et j'habite à {CITY}, au plaisir de vous rencontrer.",
        "Merci {GIVEN} ! Salue {NAME2} de ma part.",
        "On prend l'avion de {CITY} à {CITY2} le {~date}, {NAME2} viendra nous chercher.",
        "moi c'est {NAME|lower}, de {CITY|lower}, qui est chaud pour un foot dimanche ?",
        "Merci à {NAME2} d'avoir pris mon service pendant mon arrêt ({COND}).",
    ],
}
T["fr_sign"] = [
    "Cordialement,\n{NAME}\n{PHONE}",
    "Bien à vous,\n{NAME}\nService client\n{EMAIL} | {PHONE}",
    "Bises, {GIVEN}",
    "Cordialement,\n{NAME}\n{ADDRESS_NL}",
    "--\n{NAME}\n{URL}\nPortable : {PHONE}",
]
T["fr_neg"] = [
    "Tu pourras être là pour l'appel à {~time} ?",
    "En mai nous déménageons les serveurs dans le nouveau centre de données.",
    "Il fait très froid aujourd'hui, la livraison risque d'avoir du retard.",
    "Le cours porte sur la Grande Dépression et le New Deal.",
    "La version {~version} corrige le plantage au démarrage.",
    "Le total était de {~price} frais de port compris.",
    "La commande {~order} est partie le {~date}, comptez 3 à 5 jours ouvrés.",
    "Nos horaires : du lundi au vendredi de 9h00 à 17h30.",
    "Les rosiers du jardin doivent être arrosés à {~time}.",
    "Facture {~order}, montant dû {~price}.",
    "Merci de lire le chapitre 7 (pages 120-145) avant l'atelier.",
    "La salle 4B est réservée de {~time} à {~time2}.",
    "Nous avons vendu 15 000 unités au troisième trimestre.",
    "Vous disposez d'un délai de grâce de 30 jours pour les retours.",
]
T["fr_fill"] = [
    "Merci d'avance !",
    "N'hésite pas si tu as besoin d'autre chose.",
    "Désolé pour la réponse tardive.",
    "J'espère que cela pourra être réglé rapidement.",
    "Bon week-end !",
]

T["es"] = {
    "support": [
        "Hola, me llamo {NAME} y todavía no he recibido el reembolso del pedido {~order}. Podéis contactarme en {EMAIL} o en el {PHONE}.",
        "Buenos días, soy {NAME}. Desde la actualización {~version} no puedo iniciar sesión; por favor restableced la cuenta {EMAIL}.",
        "Estimada Sra. {SURNAME}, gracias por su mensaje. Su incidencia {~order} ha sido escalada y le llamaremos al {PHONE}.",
        "Cliente: {NAME}\nCorreo: {EMAIL}\nTeléfono: {PHONE}\nProblema: cobro duplicado ({~price}).",
        "hola soy {NAME|lower}, me cambias el correo de la cuenta a {EMAIL}? gracias",
        "Por favor, cambien mi dirección de facturación a {ADDRESS}. La anterior ya no es válida. Saludos, {GIVEN}",
        "Ayer hablé por teléfono con {NAME2} y me dijo que el recambio saldría antes del {~date}.",
        "¿Podéis mandar la factura a {EMAIL}? Nuestra contable ({NAME2}) la necesita mañana antes de las {~time}.",
    ],
    "hr": [
        "Hola {GIVEN}, ¡bienvenida! Envía a RRHH tu IBAN ({IBAN}) y tu fecha de nacimiento antes del viernes.",
        "Nueva incorporación: {NAME}, nacido el {DOB}, empieza el lunes en la oficina de {CITY}. Correo personal: {EMAIL}.",
        "El empleado {NAME} (fecha de nacimiento {DOB}) ha cambiado de domicilio: {ADDRESS}.",
        "Estimado Sr. {SURNAME}, nos complace ofrecerle el puesto. Confírmelo respondiendo a {EMAIL}.",
        "Nota de nóminas: a partir del mes que viene la nómina de {NAME} se ingresa en {IBAN}.",
        "Recordatorio de {NAME2}: las hojas de horas se entregan el viernes antes de las {~time}. Dudas a {EMAIL}.",
        "La Sra. {SURNAME} está de baja hoy por {COND}; volverá el miércoles.",
    ],
    "medical": [
        "Paciente: {NAME}\nFecha de nacimiento: {DOB}\nDiagnóstico: {COND}\nTratamiento: {MED} cada 12 horas",
        "Buenas, doctor {SURNAME}, soy {NAME2}. Mi hijo tiene otra vez {COND} y con {MED} no mejora. ¿Podemos pedir cita?",
        "Su cita con la Dra. {SURNAME} está confirmada para el {~date} a las {~time}. Traiga su receta.",
        "Me diagnosticaron {COND} el año pasado y tomo {MED} todas las mañanas. ¿Puedo viajar a {CITY}?",
        "Recordatorio para {NAME}: su receta de {MED} está lista en la farmacia. Dudas al {PHONE}.",
        "Mi hija {GIVEN} nació el {DOB} y tiene {COND}; necesitamos un volante para el especialista.",
        "¿Puedo tomar {MED} junto con {MED2}? Tengo {COND}.",
    ],
    "shipping": [
        "¿Dónde está mi paquete? Número de seguimiento {~tracking}. La dirección es {ADDRESS}.",
        "Entregar a {NAME}, {ADDRESS}. Llamar al {PHONE} antes de la entrega.",
        "El repartidor dejó el paquete a mi vecino {NAME2}, en {STREET}. Pedido {~order}.",
        "Me mudé a {CITY} el mes pasado, enviad el recambio a mi nueva dirección: {ADDRESS}.",
        "Dirección de envío:\n{NAME}\n{ADDRESS_NL}\nTel. {PHONE}",
        "¿Puedo recoger el pedido {~order} en vuestra tienda de {CITY}? El total fue {~price}.",
    ],
    "payment": [
        "Pagué con mi tarjeta {CARD} pero el pago falló. Pedido {~order}, importe {~price}.",
        "Por favor, devuelvan {~price} al IBAN {IBAN} (titular: {NAME}).",
        "número de tarjeta: {CARD}, cad. 0{~n}/2{~n}, titular {NAME|upper}",
        "El recibo domiciliado en {IBAN} fue devuelto, por favor vuelvan a pasarlo el {~date}.",
        "Mi tarjeta nueva es la {CARD}. La antigua me la robaron en {CITY}.",
    ],
    "it": [
        "La VPN me bloquea: mi IP es {IP} y sale acceso denegado. Usuario {EMAIL}.",
        "Por favor, añadid {IP} y {IP2} a la lista blanca del servidor de pruebas ({~version}).",
        "{NAME} avisó de un correo de phishing con el enlace {URL}; el remitente era {EMAIL2}.",
        "El enlace para restablecer la contraseña {URL} no me funciona ({EMAIL}).",
        "Se bloquearon intentos de acceso desde {IP} para {EMAIL} a las {~time}.",
        "Mi portfolio está en {URL}, pásaselo a {NAME2} si quieres.",
    ],
    "intro": [
        "Hola a todos, soy {NAME}, acabo de entrar en el equipo y trabajo desde {CITY}.",
        "Me llamo {NAME} y vivo en {CITY}, encantada de conoceros.",
        "¡Gracias {GIVEN}! Saluda a {NAME2} de mi parte.",
        "Volamos de {CITY} a {CITY2} el {~date}, nos recoge {NAME2}.",
        "soy {NAME|lower}, de {CITY|lower}, alguien para un partido el domingo?",
        "Gracias a {NAME2} por cubrir mi turno cuando estuve con {COND}.",
    ],
}
T["es_sign"] = [
    "Un saludo,\n{NAME}\n{PHONE}",
    "Atentamente,\n{NAME}\nAtención al cliente\n{EMAIL} | {PHONE}",
    "Besos, {GIVEN}",
    "Saludos,\n{NAME}\n{ADDRESS_NL}",
    "--\n{NAME}\n{URL}\nMóvil: {PHONE}",
]
T["es_neg"] = [
    "¿Puedes estar en la llamada a las {~time}?",
    "En mayo trasladamos los servidores al nuevo centro de datos.",
    "Hace mucho frío hoy, puede que el envío llegue tarde.",
    "El curso trata la Gran Depresión y el New Deal.",
    "La versión {~version} corrige el cierre al arrancar.",
    "El total fue {~price} con gastos de envío.",
    "El pedido {~order} salió el {~date}; tarda de 3 a 5 días laborables.",
    "Horario: de lunes a viernes de 9:00 a 17:30.",
    "Hay que regar los rosales del jardín a las {~time}.",
    "Factura {~order}, importe pendiente {~price}.",
    "Leed el capítulo 7 (páginas 120-145) antes del taller.",
    "La sala 4B está reservada de {~time} a {~time2}.",
    "Vendimos 15.000 unidades en el tercer trimestre.",
    "Tienes un periodo de gracia de 30 días para devoluciones.",
]
T["es_fill"] = [
    "¡Gracias de antemano!",
    "Avísame si necesitas algo más.",
    "Perdona la tardanza en responder.",
    "Espero que se pueda solucionar pronto.",
    "¡Buen fin de semana!",
]

T["it"] = {
    "support": [
        "Buongiorno, mi chiamo {NAME} e non ho ancora ricevuto il rimborso dell'ordine {~order}. Potete contattarmi a {EMAIL} o al {PHONE}.",
        "Salve, sono {NAME}. Dall'aggiornamento {~version} non riesco più ad accedere; per favore reimpostate l'account {EMAIL}.",
        "Gentile Sig.ra {SURNAME}, grazie per il suo messaggio. La pratica {~order} è stata inoltrata, la richiameremo al {PHONE}.",
        "Cliente: {NAME}\nE-mail: {EMAIL}\nTelefono: {PHONE}\nProblema: addebito doppio ({~price}).",
        "ciao sono {NAME|lower}, mi cambi la mail dell'account in {EMAIL}? grazie",
        "Vi prego di aggiornare il mio indirizzo di fatturazione: {ADDRESS}. Quello vecchio non è più valido. Saluti, {GIVEN}",
        "Ieri ho parlato al telefono con {NAME2}, mi ha detto che il ricambio partirà entro il {~date}.",
        "Potete mandare la fattura a {EMAIL}? La nostra contabile ({NAME2}) ne ha bisogno domani entro le {~time}.",
    ],
    "hr": [
        "Ciao {GIVEN}, benvenuta! Manda all'ufficio del personale il tuo IBAN ({IBAN}) e la data di nascita entro venerdì.",
        "Nuovo assunto: {NAME}, nato il {DOB}, inizia lunedì nella sede di {CITY}. E-mail personale: {EMAIL}.",
        "Il dipendente {NAME} (data di nascita {DOB}) ha cambiato residenza: {ADDRESS}.",
        "Egregio Sig. {SURNAME}, siamo lieti di offrirle la posizione. La preghiamo di confermare scrivendo a {EMAIL}.",
        "Nota paghe: dal mese prossimo lo stipendio di {NAME} va accreditato su {IBAN}.",
        "Promemoria da {NAME2}: i fogli ore vanno consegnati venerdì entro le {~time}. Domande a {EMAIL}.",
        "La Sig.ra {SURNAME} oggi è in malattia per {COND}; rientra mercoledì.",
    ],
    "medical": [
        "Paziente: {NAME}\nData di nascita: {DOB}\nDiagnosi: {COND}\nTerapia: {MED} due volte al giorno",
        "Buongiorno dottor {SURNAME}, sono {NAME2}. Mio figlio ha di nuovo {COND} e {MED} non fa effetto. Possiamo prendere un appuntamento?",
        "Il suo appuntamento con la Dott.ssa {SURNAME} è confermato per il {~date} alle {~time}. Porti la ricetta.",
        "L'anno scorso mi hanno diagnosticato {COND} e prendo {MED} ogni mattina. Posso andare a {CITY}?",
        "Promemoria per {NAME}: la ricetta di {MED} è pronta in farmacia. Per domande chiami il {PHONE}.",
        "Mia figlia {GIVEN} è nata il {DOB} e ha {COND}; ci serve l'impegnativa per lo specialista.",
        "Posso prendere {MED} insieme a {MED2}? Ho {COND}.",
    ],
    "shipping": [
        "Dov'è il mio pacco? Numero di tracking {~tracking}. L'indirizzo è {ADDRESS}.",
        "Consegnare a {NAME}, {ADDRESS}. Chiamare il {PHONE} prima della consegna.",
        "Il corriere ha lasciato il pacco al mio vicino {NAME2}, in {STREET}. Ordine {~order}.",
        "Mi sono trasferito a {CITY} il mese scorso, spedite il ricambio al nuovo indirizzo: {ADDRESS}.",
        "Indirizzo di spedizione:\n{NAME}\n{ADDRESS_NL}\nTel. {PHONE}",
        "Posso ritirare l'ordine {~order} nel vostro negozio di {CITY}? Il totale era {~price}.",
    ],
    "payment": [
        "Ho pagato con la carta {CARD} ma il pagamento non è andato a buon fine. Ordine {~order}, importo {~price}.",
        "Vi prego di rimborsare {~price} sull'IBAN {IBAN} (intestatario: {NAME}).",
        "numero carta: {CARD}, scad. 0{~n}/2{~n}, titolare {NAME|upper}",
        "L'addebito SEPA su {IBAN} è stato respinto, riprovate il {~date}.",
        "La mia nuova carta è la {CARD}. Quella vecchia me l'hanno rubata a {CITY}.",
    ],
    "it": [
        "La VPN mi blocca: il mio IP è {IP} e dice accesso negato. Utente {EMAIL}.",
        "Per favore abilitate {IP} e {IP2} sul server di staging ({~version}).",
        "{NAME} ha segnalato una mail di phishing con il link {URL}; il mittente era {EMAIL2}.",
        "Il link per reimpostare la password {URL} non funziona ({EMAIL}).",
        "Tentativi di accesso da {IP} per {EMAIL} bloccati alle {~time}.",
        "Il mio portfolio è su {URL}, giralo pure a {NAME2}.",
    ],
    "intro": [
        "Ciao a tutti, sono {NAME}, sono appena entrata nel team e lavoro da {CITY}.",
        "Mi chiamo {NAME} e abito a {CITY}, piacere di conoscervi.",
        "Grazie {GIVEN}! Saluta {NAME2} da parte mia.",
        "Il {~date} voliamo da {CITY} a {CITY2}, ci viene a prendere {NAME2}.",
        "sono {NAME|lower}, di {CITY|lower}, chi gioca a calcetto domenica?",
        "Grazie a {NAME2} per avermi coperto il turno quando avevo {COND}.",
    ],
}
T["it_sign"] = [
    "Cordiali saluti,\n{NAME}\n{PHONE}",
    "Distinti saluti,\n{NAME}\nServizio clienti\n{EMAIL} | {PHONE}",
    "Un abbraccio, {GIVEN}",
    "Saluti,\n{NAME}\n{ADDRESS_NL}",
    "--\n{NAME}\n{URL}\nCell. {PHONE}",
]
T["it_neg"] = [
    "Riesci a esserci alla call delle {~time}?",
    "A maggio spostiamo i server nel nuovo data center.",
    "Oggi fa molto freddo, la consegna potrebbe tardare.",
    "Il corso parla della Grande Depressione e del New Deal.",
    "La versione {~version} risolve il crash all'avvio.",
    "Il totale era {~price} spedizione inclusa.",
    "L'ordine {~order} è partito il {~date}; servono da 3 a 5 giorni lavorativi.",
    "Orari: dal lunedì al venerdì dalle 9:00 alle 17:30.",
    "Le rose in giardino vanno annaffiate alle {~time}.",
    "Fattura {~order}, importo da pagare {~price}.",
    "Leggete il capitolo 7 (pagine 120-145) prima del workshop.",
    "La sala 4B è prenotata dalle {~time} alle {~time2}.",
    "Nel terzo trimestre abbiamo venduto 15.000 pezzi.",
    "C'è un periodo di grazia di 30 giorni per i resi.",
]
T["it_fill"] = [
    "Grazie in anticipo!",
    "Fammi sapere se ti serve altro.",
    "Scusa il ritardo nella risposta.",
    "Spero si possa risolvere in fretta.",
    "Buon fine settimana!",
]

T["nl"] = {
    "support": [
        "Hallo, mijn naam is {NAME} en ik heb de terugbetaling voor bestelling {~order} nog steeds niet ontvangen. Bereikbaar via {EMAIL} of {PHONE}.",
        "Goedemiddag, met {NAME}. Sinds de update naar {~version} kan ik niet meer inloggen; graag het account {EMAIL} resetten.",
        "Geachte mevrouw {SURNAME}, dank voor uw bericht. Uw ticket {~order} is doorgezet; we bellen u terug op {PHONE}.",
        "Klant: {NAME}\nE-mail: {EMAIL}\nTelefoon: {PHONE}\nProbleem: dubbel afgeschreven ({~price}).",
        "hoi met {NAME|lower}, kun je het mailadres van mijn account veranderen in {EMAIL}? thx",
        "Wilt u mijn factuuradres wijzigen in {ADDRESS}? Het oude klopt niet meer. Groet, {GIVEN}",
        "Ik heb gisteren {NAME2} aan de telefoon gehad, het vervangende product gaat voor {~date} de deur uit.",
        "Kunnen jullie de factuur naar {EMAIL} sturen? Onze boekhouder ({NAME2}) heeft hem morgen voor {~time} nodig.",
    ],
    "hr": [
        "Hoi {GIVEN}, welkom! Stuur je IBAN ({IBAN}) en je geboortedatum voor vrijdag naar HR.",
        "Nieuwe collega: {NAME}, geboren op {DOB}, begint maandag op kantoor {CITY}. Privémail: {EMAIL}.",
        "Medewerker {NAME} (geboortedatum {DOB}) is verhuisd, nieuw adres: {ADDRESS}.",
        "Geachte heer {SURNAME}, wij bieden u graag de functie aan. Wilt u dit bevestigen via {EMAIL}?",
        "Salarisadministratie: het salaris van {NAME} vanaf volgende maand overmaken naar {IBAN}.",
        "Herinnering van {NAME2}: urenbriefjes vrijdag voor {~time} inleveren. Vragen naar {EMAIL}.",
        "Mevr. {SURNAME} heeft zich vandaag ziek gemeld met {COND}; ze is woensdag terug.",
    ],
    "medical": [
        "Patiënt: {NAME}\nGeboortedatum: {DOB}\nDiagnose: {COND}\nMedicatie: {MED} 2x per dag",
        "Goedemorgen dokter {SURNAME}, met {NAME2}. Mijn zoon heeft weer {COND} en {MED} helpt niet. Kunnen we een afspraak maken?",
        "Uw afspraak bij dr. {SURNAME} is bevestigd op {~date} om {~time}. Neem uw medicijnoverzicht mee.",
        "Vorig jaar is bij mij {COND} vastgesteld en ik neem elke ochtend {MED}. Mag ik naar {CITY} reizen?",
        "Herinnering voor {NAME}: uw recept voor {MED} ligt klaar bij de apotheek. Vragen? Bel {PHONE}.",
        "Mijn dochter {GIVEN} is geboren op {DOB} en heeft {COND}; we hebben een verwijzing nodig.",
        "Mag ik {MED} samen met {MED2} nemen? Ik heb {COND}.",
    ],
    "shipping": [
        "Waar blijft mijn pakket? Trackingnummer {~tracking}. Het moet naar {ADDRESS}.",
        "Graag bezorgen bij {NAME}, {ADDRESS}. Bel {PHONE} voor de bezorging.",
        "De bezorger heeft het pakket bij mijn buurman {NAME2} op de {STREET} afgegeven. Bestelling {~order}.",
        "Ik ben vorige maand naar {CITY} verhuisd, stuur de vervanging naar mijn nieuwe adres: {ADDRESS}.",
        "Afleveradres:\n{NAME}\n{ADDRESS_NL}\nTel. {PHONE}",
        "Kan ik bestelling {~order} ophalen in jullie winkel in {CITY}? Het totaal was {~price}.",
    ],
    "payment": [
        "Ik heb met mijn kaart {CARD} betaald maar de betaling is mislukt. Bestelling {~order}, bedrag {~price}.",
        "Graag {~price} terugstorten op IBAN {IBAN} (rekeninghouder: {NAME}).",
        "kaartnummer: {CARD}, geldig tot 0{~n}/2{~n}, naam {NAME|upper}",
        "De incasso van {IBAN} is gestorneerd, graag op {~date} opnieuw proberen.",
        "Mijn nieuwe kaart heeft nummer {CARD}. De oude is in {CITY} gestolen.",
    ],
    "it": [
        "De VPN blokkeert me: mijn IP is {IP} en ik krijg toegang geweigerd. Gebruiker {EMAIL}.",
        "Graag {IP} en {IP2} toestaan op de testserver ({~version}).",
        "{NAME} meldde een phishingmail met de link {URL}; de afzender was {EMAIL2}.",
        "De resetlink {URL} werkt bij mij niet ({EMAIL}).",
        "Inlogpogingen vanaf {IP} voor {EMAIL} zijn om {~time} geblokkeerd.",
        "Mijn portfolio staat op {URL}, stuur het gerust door naar {NAME2}.",
    ],
    "intro": [
        "Hoi allemaal, ik ben {NAME}, nieuw in het team en ik werk vanuit {CITY}.",
        "Ik heet {NAME} en woon in {CITY}, leuk jullie te ontmoeten.",
        "Dank je {GIVEN}! Doe de groeten aan {NAME2}.",
        "We vliegen op {~date} van {CITY} naar {CITY2}, {NAME2} haalt ons op.",
        "ik ben {NAME|lower} uit {CITY|lower}, wie heeft zin in voetbal zondag?",
        "Dank aan {NAME2} voor het overnemen van mijn dienst toen ik {COND} had.",
    ],
}
T["nl_sign"] = [
    "Met vriendelijke groet,\n{NAME}\n{PHONE}",
    "Met vriendelijke groeten,\n{NAME}\nKlantenservice\n{EMAIL} | {PHONE}",
    "Groetjes, {GIVEN}",
    "Groet,\n{NAME}\n{ADDRESS_NL}",
    "--\n{NAME}\n{URL}\nMobiel: {PHONE}",
]
T["nl_neg"] = [
    "Kun je om {~time} bij de call zijn?",
    "In mei verhuizen de servers naar het nieuwe datacenter.",
    "Het is vandaag erg koud buiten, de bezorging kan later zijn.",
    "De cursus gaat over de Grote Depressie en de New Deal.",
    "Versie {~version} lost de crash bij het opstarten op.",
    "Het totaal was {~price} inclusief verzending.",
    "Bestelling {~order} is op {~date} verzonden; levertijd 3 tot 5 werkdagen.",
    "Openingstijden: maandag tot en met vrijdag van 9:00 tot 17:30.",
    "De rozen in de tuin moeten om {~time} water krijgen.",
    "Factuurnummer {~order}, openstaand bedrag {~price}.",
    "Lees hoofdstuk 7 (pagina 120-145) voor de workshop.",
    "Vergaderzaal 4B is geboekt van {~time} tot {~time2}.",
    "We hebben in het derde kwartaal 15.000 stuks verkocht.",
    "Er geldt een respijtperiode van 30 dagen voor retouren.",
]
T["nl_fill"] = [
    "Alvast bedankt!",
    "Laat maar weten als je nog iets nodig hebt.",
    "Sorry voor de late reactie.",
    "Ik hoop dat het snel opgelost kan worden.",
    "Fijn weekend!",
]

LANGS = ["en", "de", "fr", "es", "it", "nl"]
IBAN_COUNTRIES = {"en": ["gb", "gb", "de", "nl"], "de": ["de", "de", "de", "at"], "fr": ["fr", "fr", "fr", "be"],
                  "es": ["es"], "it": ["it"], "nl": ["nl", "nl", "nl", "be"]}
SCENARIOS = [("support", 16), ("hr", 12), ("medical", 16), ("shipping", 12), ("payment", 10), ("it", 10),
             ("intro", 10), ("id", 6), ("negative", 8)]


class Record:
    def __init__(self):
        self.text = ""
        self.spans = []

    def add(self, s, kind=None):
        if kind is not None and s:
            start = len(self.text)
            start_byte = len(self.text.encode("utf-8"))
            self.text += s
            self.spans.append({
                "kind": kind,
                "start": start,
                "end": len(self.text),
                "start_byte": start_byte,
                "end_byte": len(self.text.encode("utf-8")),
                "value": s,
            })
        else:
            self.text += s


class Filler:
    """The values of one record: one person, one country, generated on first use."""

    def __init__(self, rng, lang):
        self.rng = rng
        self.lang = lang
        self.country = rng.pick(["us", "gb"]) if lang == "en" else lang
        self.given, self.surname, self.full = make_person(rng, lang)
        self.other = make_person(rng, lang)
        self.cache = {}

    def value(self, slot):
        """Returns a list of (text, kind or None) pieces."""
        rng, lang, country = self.rng, self.lang, self.country
        case = None
        if "|" in slot:
            slot, case = slot.split("|")
        if slot.startswith("~"):
            f = slot[1:]
            v = {
                "order": lambda: order_no(rng),
                "version": lambda: version(rng),
                "price": lambda: price(rng, lang),
                "time": lambda: clock(rng, lang),
                "time2": lambda: clock(rng, lang),
                "date": lambda: date(rng, lang, 2024 + rng.below(2)),
                "tracking": lambda: tracking(rng),
                "n": lambda: str(1 + rng.below(9)),
            }[f]()
            return [(v, None)]
        pieces = self._pii(slot)
        if case == "lower":
            pieces = [(t.lower(), k) for t, k in pieces]
        elif case == "upper":
            pieces = [(t.upper(), k) for t, k in pieces]
        return pieces

    def _pii(self, slot):
        rng, lang, country = self.rng, self.lang, self.country
        if slot == "NAME":
            return [(self.full, "PERSON")]
        if slot == "GIVEN":
            return [(self.given, "PERSON")]
        if slot == "SURNAME":
            return [(self.surname, "PERSON")]
        if slot in ("NAME2", "GIVEN2"):
            return [(self.other[2], "PERSON")]
        if slot == "EMAIL":
            if "EMAIL" not in self.cache:
                self.cache["EMAIL"] = email(rng, lang, self.given, self.surname)
            return [(self.cache["EMAIL"], "EMAIL_ADDRESS")]
        if slot == "EMAIL2":
            return [(email(rng, lang, invented_given(rng), invented_surname(rng)), "EMAIL_ADDRESS")]
        if slot == "PHONE":
            return [(phone(rng, country), "PHONE_NUMBER")]
        if slot == "ADDRESS":
            return [(address(rng, country), "STREET_ADDRESS")]
        if slot == "ADDRESS_NL":
            return [(address(rng, country, sep="\n"), "STREET_ADDRESS")]
        if slot == "STREET":
            return [(street(rng, country), "STREET_ADDRESS")]
        if slot == "CITY":
            c = rng.pick(CITIES[country])
            self.cache["CITY"] = c
            return [(c, "LOCATION")]
        if slot == "CITY2":
            c = rng.pick([c for c in CITIES[country] if c != self.cache.get("CITY")])
            return [(c, "LOCATION")]
        if slot == "CARD":
            return [(credit_card(rng), "CREDIT_CARD")]
        if slot == "IBAN":
            return [(iban(rng, rng.pick(IBAN_COUNTRIES[lang])), "IBAN")]
        if slot in ("IP", "IP2"):
            return [(ip_address(rng), "IP_ADDRESS")]
        if slot == "URL":
            return [(url(rng, self.given, self.surname), "URL")]
        if slot == "DOB":
            return [(dob(rng, lang), "DATE_OF_BIRTH")]
        if slot == "COND":
            c = rng.pick(CONDITIONS[lang])
            for a in ARTICLES:
                if c.startswith(a):
                    return [(a, None), (c[len(a):], "MEDICAL_CONDITION")]
            return [(c, "MEDICAL_CONDITION")]
        if slot in ("MED", "MED2"):
            m = rng.pick(MEDICATIONS[lang])
            if slot == "MED2":
                while m == self.cache.get("MED"):
                    m = rng.pick(MEDICATIONS[lang])
            self.cache[slot] = m
            return [(m, "MEDICATION")]
        if slot == "SSN":
            return [(us_ssn(rng), "US_SSN")]
        if slot == "NHS":
            return [(nhs_number(rng), "UK_NHS")]
        raise KeyError(slot)


def render(rec, template, filler):
    i = 0
    while i < len(template):
        j = template.find("{", i)
        if j < 0:
            rec.add(template[i:])
            break
        rec.add(template[i:j])
        k = template.index("}", j)
        for text, kind in filler.value(template[j + 1:k]):
            rec.add(text, kind)
        i = k + 1


def make_record(rng, index):
    lang = LANGS[rng.below(len(LANGS))]
    filler = Filler(rng, lang)
    scenario = rng.weighted(SCENARIOS)
    if lang == "en" and rng.chance(0.2):
        scenario = "id"
    if scenario == "id" and lang != "en":
        scenario = rng.pick(["hr", "medical", "payment"])
    if scenario == "id":
        scenario = "us_id" if filler.country == "us" else "uk_id"

    parts = []
    if scenario == "negative":
        parts += [rng.pick(T[lang + "_neg"]) for _ in range(1 + rng.below(3))]
        if rng.chance(0.4):
            parts.append(rng.pick(T[lang + "_fill"]))
    else:
        pool = T[lang][scenario]
        first = rng.below(len(pool))
        parts.append(pool[first])
        if rng.chance(0.35):
            second = rng.below(len(pool))
            if second != first:
                parts.append(pool[second])
        if rng.chance(0.3):
            parts.insert(rng.below(len(parts) + 1), rng.pick(T[lang + "_neg"]))
        if rng.chance(0.25):
            parts.append(rng.pick(T[lang + "_fill"]))
        if scenario in ("support", "hr", "shipping", "payment", "it") and rng.chance(0.3):
            parts.append(rng.pick(T[lang + "_sign"]))

    rec = Record()
    for n, p in enumerate(parts):
        if n:
            rec.add("\n\n" if p.startswith("--") or "\n" in p else rng.pick([" ", " ", "\n"]))
        render(rec, p, filler)
    return {"id": f"{lang}-{index:04d}", "lang": lang, "text": rec.text, "spans": rec.spans}


def generate():
    rng = Rng(SEED)
    records = [make_record(rng, i) for i in range(RECORDS)]
    dev = [r for i, r in enumerate(records) if i % 2 == 0]
    test = [r for i, r in enumerate(records) if i % 2 == 1]
    return dev, test


def dumps(records):
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)


def ip_ok(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def validate(records):
    """Every span slices to its value by characters and by bytes; checksums hold;
    spans do not overlap."""
    problems = []
    for r in records:
        text, raw = r["text"], r["text"].encode("utf-8")
        prev_end = -1
        for s in sorted(r["spans"], key=lambda s: s["start"]):
            if text[s["start"]:s["end"]] != s["value"]:
                problems.append(f"{r['id']}: char offsets of {s['value']!r}")
            if raw[s["start_byte"]:s["end_byte"]].decode("utf-8") != s["value"]:
                problems.append(f"{r['id']}: byte offsets of {s['value']!r}")
            if s["start"] < prev_end:
                problems.append(f"{r['id']}: overlapping spans at {s['start']}")
            prev_end = s["end"]
            if s["kind"] not in KINDS:
                problems.append(f"{r['id']}: unknown kind {s['kind']}")
            v = s["value"]
            digits = "".join(c for c in v if c.isdigit())
            if s["kind"] == "CREDIT_CARD" and not luhn_ok(digits):
                problems.append(f"{r['id']}: Luhn fails for {v}")
            if s["kind"] == "IBAN" and not iban_ok(v):
                problems.append(f"{r['id']}: mod-97 fails for {v}")
            if s["kind"] == "UK_NHS" and not nhs_ok(v):
                problems.append(f"{r['id']}: mod-11 fails for {v}")
            if s["kind"] == "US_SSN" and not ssn_ok(v):
                problems.append(f"{r['id']}: invalid SSN {v}")
            if s["kind"] == "IP_ADDRESS" and not ip_ok(v):
                problems.append(f"{r['id']}: invalid IP address {v}")
            if v != v.strip():
                problems.append(f"{r['id']}: span with outer whitespace {v!r}")
    return problems


def stats(records):
    kinds = {}
    for r in records:
        for s in r["spans"]:
            kinds[s["kind"]] = kinds.get(s["kind"], 0) + 1
    langs = {}
    for r in records:
        langs[r["lang"]] = langs.get(r["lang"], 0) + 1
    size = sum(len(r["text"].encode("utf-8")) for r in records)
    return f"{len(records)} records, {size} bytes, languages {langs}, spans {dict(sorted(kinds.items()))}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    ap.add_argument("--out", default=HERE, help="output directory (default: this script's directory)")
    args = ap.parse_args()

    dev, test = generate()
    problems = validate(dev + test)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        sys.exit(1)
    outputs = {"dev.jsonl": dumps(dev), "test.jsonl": dumps(test)}
    if args.check:
        ok = True
        for name, content in outputs.items():
            path = os.path.join(args.out, name)
            with open(path, encoding="utf-8") as f:
                if f.read() != content:
                    print(f"{path} differs from a fresh generation", file=sys.stderr)
                    ok = False
        print("dev: " + stats(dev))
        print("test: " + stats(test))
        sys.exit(0 if ok else 1)
    for name, content in outputs.items():
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(content)
    print("dev: " + stats(dev))
    print("test: " + stats(test))


if __name__ == "__main__":
    main()
