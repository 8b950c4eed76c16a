#!/usr/bin/env python3
"""Checks the assist knowledge base (src/assist/kb) and evaluation set (src/assist/eval).

Run from anywhere:  python3 src/assist/kb/check_kb.py
Exits 1 and lists every problem found; exits 0 and prints a summary when all checks pass.
The format it checks is the one in the module contract (kb/README.md summarises it).
"""
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

KB_DIR = Path(__file__).resolve().parent
EVAL_FILE = KB_DIR.parent / "eval" / "questions.json"

MAX_FILE_BYTES = 55_000  # the engine embeds each file as one string literal
INTENTS = {
    "basics", "certification", "claiming", "rules-of-origin", "rvc", "de-minimis", "accumulation",
    "automotive", "textiles", "agriculture", "recordkeeping", "verification", "low-value",
    "section-232", "tariffs-2025-2026", "joint-review", "fees", "help",
}
CALCULATORS = {"rvc-tv", "rvc-nc", "de-minimis", "mpf", "hmf"}
EVAL_KINDS = {"fact", "paraphrase", "typo", "spanish", "french", "followup", "calculation",
              "out-of-scope", "hostile", "ambiguous"}
# Minimum counts per group of kinds (module contract).
EVAL_MIX = [
    (("fact", "paraphrase"), 50),
    (("typo",), 12),
    (("spanish", "french"), 8),
    (("followup",), 10),
    (("calculation",), 14),
    (("out-of-scope", "hostile"), 12),
    (("ambiguous",), 4),
]
MIN_EVAL_ITEMS = 110
UNIT_FIELDS = ["id", "title", "intent", "questions", "keywords", "answer", "facts", "citations", "reviewed"]
OPTIONAL_FIELDS = {"questions_es", "questions_fr", "as_of", "related", "variants"}
ID_RE = re.compile(r"^[a-z0-9.-]+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Sentence split: a terminator followed by a space and an opening capital, digit or quote.
# Abbreviations that end in a period ("U.S.C.", "a.m.") are masked first.
ABBREV_RE = re.compile(r"\b(?:U\.S\.C|U\.S|a\.m|p\.m|e\.g|i\.e|No|Inc|v)\.")
SENTENCE_RE = re.compile(r"[.!?](?=\s+[A-Z0-9\"'(])")
MAX_SENTENCES = 6

# Words that need no translation entry in synonyms.json: function words and tokens that are
# already English index terms (acronyms, numbers).
STOPWORDS = {
    "es": {"el", "la", "los", "las", "de", "del", "en", "y", "o", "a", "al", "un", "una", "unos", "se", "lo",
           "por", "para", "con", "su", "sus", "me", "le", "les", "mi", "es", "puedo", "sobre", "que", "ya"},
    "fr": {"le", "la", "les", "l", "de", "des", "du", "d", "et", "ou", "un", "une", "en", "au", "aux", "à", "a",
           "pour", "par", "sur", "qu", "ce", "il", "elle", "on", "y", "ne", "pas", "est", "se", "s"},
}
PASSTHROUGH = {"usmca", "cbp", "mpf", "hmf", "rvc", "de", "minimis", "s", "coo", "hs", "hts",
               "a", "b", "c", "d", "e"}  # origin criteria letters


def fold(text):
    """Lowercase and strip accents, as the engine does when it tries the folded form."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


class Checker:
    def __init__(self):
        self.problems = []

    def fail(self, where, message):
        self.problems.append(f"{where}: {message}")

    def load(self, path):
        try:
            with open(path, encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError) as e:
            self.fail(path.name, f"cannot load JSON: {e}")
            return None


def check_units(ck, topic_files):
    units = {}
    for path in topic_files:
        data = ck.load(path)
        if data is None:
            continue
        topic = path.stem
        if data.get("topic") != topic:
            ck.fail(path.name, f"'topic' is {data.get('topic')!r}, expected {topic!r}")
        if not isinstance(data.get("units"), list) or not data["units"]:
            ck.fail(path.name, "'units' must be a non-empty list")
            continue
        for i, u in enumerate(data["units"]):
            where = f"{path.name}#{i} {u.get('id', '?')}"
            for field in UNIT_FIELDS:
                if field not in u:
                    ck.fail(where, f"missing field '{field}'")
            for field in u:
                if field not in UNIT_FIELDS and field not in OPTIONAL_FIELDS:
                    ck.fail(where, f"unknown field '{field}'")
            uid = u.get("id", "")
            if not ID_RE.match(uid) or not uid.startswith(topic + "."):
                ck.fail(where, f"id must be '{topic}.<slug>' with [a-z0-9.-] only")
            if uid in units:
                ck.fail(where, f"duplicate id (also in {units[uid][0]})")
            units[uid] = (path.name, u)
            if u.get("intent") not in INTENTS:
                ck.fail(where, f"intent {u.get('intent')!r} not in the closed list")
            qs = u.get("questions", [])
            if not isinstance(qs, list) or len(qs) < 3 or not all(isinstance(q, str) and q.strip() for q in qs):
                ck.fail(where, "needs >= 3 non-empty English questions")
            for lang in ("questions_es", "questions_fr"):
                if lang in u and (not isinstance(u[lang], list) or not all(isinstance(q, str) and q for q in u[lang])):
                    ck.fail(where, f"'{lang}' must be a list of strings")
            answer = u.get("answer", "")
            if not isinstance(answer, str) or not answer.strip():
                ck.fail(where, "empty answer")
                answer = ""
            n = len(SENTENCE_RE.findall(ABBREV_RE.sub("X", answer.strip()))) + 1
            if n > MAX_SENTENCES:
                ck.fail(where, f"answer has {n} sentences, max {MAX_SENTENCES}")
            facts = u.get("facts", [])
            if not isinstance(facts, list) or not facts:
                ck.fail(where, "needs >= 1 fact")
            for fact in facts if isinstance(facts, list) else []:
                if not isinstance(fact, str) or fact not in answer:
                    ck.fail(where, f"fact {fact!r} does not appear literally in the answer")
            cites = u.get("citations", [])
            if not isinstance(cites, list) or not cites:
                ck.fail(where, "needs >= 1 citation")
            for c in cites if isinstance(cites, list) else []:
                if not isinstance(c, dict) or not c.get("label") or not re.match(r"^https?://\S+$", c.get("url", "")):
                    ck.fail(where, f"bad citation {c!r} (needs label and http(s) url)")
            if not DATE_RE.match(str(u.get("reviewed", ""))):
                ck.fail(where, "reviewed must be YYYY-MM-DD")
            if "as_of" in u and not DATE_RE.match(str(u["as_of"])):
                ck.fail(where, "as_of must be YYYY-MM-DD")
            if not isinstance(u.get("keywords", []), list):
                ck.fail(where, "keywords must be a list")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            ck.fail(path.name, f"{size} bytes, max {MAX_FILE_BYTES}")
    # Cross references.
    for uid, (fname, u) in units.items():
        for r in u.get("related", []):
            if r not in units:
                ck.fail(f"{fname} {uid}", f"related id {r!r} does not exist")
            if r == uid:
                ck.fail(f"{fname} {uid}", "related points at itself")
        variants = u.get("variants", {})
        if not isinstance(variants, dict):
            ck.fail(f"{fname} {uid}", "variants must be an object")
            continue
        for word, target in variants.items():
            if word != word.lower():
                ck.fail(f"{fname} {uid}", f"variant key {word!r} must be lowercase")
            if target not in units:
                ck.fail(f"{fname} {uid}", f"variant {word!r} -> {target!r} does not exist")
    return units


def tokens(text):
    return [t for t in re.findall(r"[\w'-]+", text.lower()) if not t.isdigit()]


def check_lexicon(ck, units, eval_items):
    syn_path, scope_path = KB_DIR / "synonyms.json", KB_DIR / "scope.json"
    syn = ck.load(syn_path) or {}
    for p in (syn_path, scope_path):
        if p.exists() and p.stat().st_size > MAX_FILE_BYTES:
            ck.fail(p.name, f"{p.stat().st_size} bytes, max {MAX_FILE_BYTES}")
    groups = syn.get("synonyms", [])
    if not isinstance(groups, list) or not groups:
        ck.fail("synonyms.json", "'synonyms' must be a non-empty list of groups")
        groups = []
    seen = {}
    for g in groups:
        if not isinstance(g, list) or len(g) < 2 or not all(isinstance(w, str) and w == w.lower() and w for w in g):
            ck.fail("synonyms.json", f"bad group {g!r} (>= 2 lowercase strings)")
            continue
        for w in g:
            if w in seen and seen[w] is not g:
                ck.fail("synonyms.json", f"term {w!r} is in two groups")
            seen[w] = g
    trans = syn.get("translations", {})
    for lang in ("es", "fr"):
        table = trans.get(lang)
        if not isinstance(table, dict) or not table:
            ck.fail("synonyms.json", f"translations.{lang} missing or empty")
            continue
        for k, v in table.items():
            if k != k.lower() or not isinstance(v, str) or not v or v != v.lower():
                ck.fail("synonyms.json", f"translations.{lang} entry {k!r}: {v!r} must be lowercase strings")
        # Every content word of the es/fr phrasings (units and eval items) must be covered.
        covered = set()
        for k in table:
            covered.update(fold(w) for w in tokens(k))
        texts = []
        for uid, (_, u) in units.items():
            texts += [(uid, q) for q in u.get(f"questions_{lang}", [])]
        kind = {"es": "spanish", "fr": "french"}[lang]
        texts += [(it.get("id"), t) for it in eval_items if it.get("kind") == kind for t in it.get("turns", [])]
        for where, text in texts:
            for t in tokens(text):
                f = fold(t)
                if f in covered or t in STOPWORDS[lang] or f in {fold(s) for s in STOPWORDS[lang]} or f in PASSTHROUGH:
                    continue
                # Elided forms such as l'aceum / d'origine.
                rest = f.split("'", 1)[1] if "'" in f else None
                if rest is not None and (rest in covered or rest in STOPWORDS[lang]):
                    continue
                ck.fail("synonyms.json", f"translations.{lang} does not cover {t!r} (used in {where})")
    scope = ck.load(scope_path) or {}
    oos = scope.get("out_of_scope", [])
    if not isinstance(oos, list) or not oos:
        ck.fail("scope.json", "'out_of_scope' must be a non-empty list")
        oos = []
    ids = set()
    for e in oos:
        if not isinstance(e, dict) or not e.get("id") or not e.get("pointer") or not isinstance(e.get("terms"), list) \
                or not e["terms"] or not all(isinstance(t, str) and t == t.lower() for t in e["terms"]):
            ck.fail("scope.json", f"bad entry {e!r} (id, lowercase terms, pointer)")
            continue
        if e["id"] in ids:
            ck.fail("scope.json", f"duplicate id {e['id']!r}")
        ids.add(e["id"])
    if not isinstance(scope.get("help"), str) or "usmca@cbp.dhs.gov" not in scope.get("help", ""):
        ck.fail("scope.json", "'help' must be a string naming usmca@cbp.dhs.gov")
    # Every decline item in the eval set should hit at least one scope term (substring, lowercase).
    terms = [t for e in oos if isinstance(e, dict) for t in e.get("terms", [])]
    for it in eval_items:
        if it.get("expect", {}).get("decline"):
            text = " ".join(it.get("turns", [])).lower()
            if not any(re.search(r"(?<![a-z])" + re.escape(t) + r"(?![a-z])", text) for t in terms):
                ck.fail("scope.json", f"no out-of-scope term matches eval item {it.get('id')}")


def check_eval(ck, units):
    data = ck.load(EVAL_FILE)
    if data is None:
        return []
    items = data.get("items", [])
    if len(items) < MIN_EVAL_ITEMS:
        ck.fail(EVAL_FILE.name, f"{len(items)} items, need >= {MIN_EVAL_ITEMS}")
    ids, calculators = set(), Counter()
    for it in items:
        where = f"{EVAL_FILE.name} {it.get('id', '?')}"
        if it.get("id") in ids:
            ck.fail(where, "duplicate id")
        ids.add(it.get("id"))
        kind = it.get("kind")
        if kind not in EVAL_KINDS:
            ck.fail(where, f"unknown kind {kind!r}")
        turns = it.get("turns")
        if not isinstance(turns, list) or not turns or not all(isinstance(t, str) and t.strip() for t in turns):
            ck.fail(where, "turns must be a non-empty list of strings")
        if kind == "followup" and (not isinstance(turns, list) or len(turns) < 2):
            ck.fail(where, "a follow-up needs >= 2 turns")
        exp = it.get("expect", {})
        if kind in ("out-of-scope", "hostile"):
            if exp != {"decline": True}:
                ck.fail(where, "expect must be {\"decline\": true}")
        elif kind == "ambiguous":
            if exp != {"clarify": True}:
                ck.fail(where, "expect must be {\"clarify\": true}")
        elif kind == "calculation":
            if exp.get("calculator") not in CALCULATORS or not exp.get("facts"):
                ck.fail(where, "expect needs a known calculator and facts")
            calculators[exp.get("calculator")] += 1
            for f in exp.get("facts", []):
                if not re.fullmatch(r"(RVC = )?\d+\.\d%|\d+%|\$\d{1,3}(,\d{3})*\.\d{2}", f):
                    ck.fail(where, f"calculation fact {f!r} is not formatted as '65.0%', '60%' or '$1,234.56'")
        else:
            uid = exp.get("unit")
            if uid not in units:
                ck.fail(where, f"expected unit {uid!r} does not exist")
                continue
            answer = units[uid][1].get("answer", "")
            if not exp.get("facts"):
                ck.fail(where, "expect needs facts")
            for f in exp.get("facts", []):
                if f not in answer:
                    ck.fail(where, f"fact {f!r} is not in the answer of {uid}")
    kinds = Counter(it.get("kind") for it in items)
    for group, minimum in EVAL_MIX:
        n = sum(kinds[k] for k in group)
        if n < minimum:
            ck.fail(EVAL_FILE.name, f"{'/'.join(group)}: {n} items, need >= {minimum}")
    for c in CALCULATORS:
        if calculators[c] < 1:
            ck.fail(EVAL_FILE.name, f"no calculation item for calculator {c!r}")
    return items


def main():
    ck = Checker()
    topic_files = sorted(p for p in KB_DIR.glob("*.json") if p.name not in ("synonyms.json", "scope.json"))
    if not topic_files:
        ck.fail(str(KB_DIR), "no topic files")
    units = check_units(ck, topic_files)
    items = check_eval(ck, units)
    check_lexicon(ck, units, items)
    if ck.problems:
        for p in ck.problems:
            print("FAIL", p)
        print(f"{len(ck.problems)} problem(s)")
        return 1
    per_topic = Counter(fname for fname, _ in units.values())
    print(f"OK: {len(units)} units in {len(topic_files)} topic files, {len(items)} eval items")
    for fname, n in sorted(per_topic.items()):
        print(f"  {fname:26} {n:3} units  {(KB_DIR / fname).stat().st_size:6} bytes")
    print("  eval mix:", dict(sorted(Counter(it['kind'] for it in items).items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
