"""Per-language word keys for glossary matching: lemmas, surface forms, and grammatical number.

Every word of a text gets a few keys; a glossary word matches a text word when they share a key.
  ru  the case-folded surface form and every pymorphy3 normal form of the word (all parses, so
      ambiguous words such as «стали» give both стать and сталь); unknown words (Новатэком)
      get pymorphy3's predicted normal form.
  es  the surface form and simplemma's lemma (of the word as written and lower-cased), and for
      words simplemma does not know, the base of a diminutive (orquideítas -> orquídea).
      Glossary words written with a capital are names and match on their surface form only
      (simplemma turns "Santa Rita" into "santo rito"). Accents are folded (orquidea = orquídea).
  other languages: the case-folded surface form.
Results are cached per word (functools.lru_cache). Heavy libraries are imported on first use.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache

LEMMATIZED = ("ru", "es")
_ES_DIMINUTIVES = (
    ("ecitos", "o"), ("ecitas", "a"), ("ecito", "o"), ("ecita", "a"),
    ("citos", "o"), ("citas", "a"), ("cito", "o"), ("cita", "a"),
    ("itos", "o"), ("itas", "a"), ("ito", "o"), ("ita", "a"),
    ("íta", "a"), ("ítas", "a"), ("íto", "o"), ("ítos", "o"),
    ("illos", "o"), ("illas", "a"), ("illo", "o"), ("illa", "a"),
)  # fmt: skip
_SPELLING = (("qu", "c"), ("gu", "g"), ("c", "z"))  # poquito -> poco, amiguito -> amigo, lucecita


@cache
def morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


_APOSTROPHES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"}
)


@lru_cache(maxsize=1 << 18)
def fold(word: str, lang: str) -> str:
    """The comparison form of a key: case-folded, ё as е, no final ъ (Коммерсантъ); for Spanish
    without accents (ñ kept)."""
    text = word.casefold().replace("ё", "е").translate(_APOSTROPHES)
    if lang == "ru" and len(text) > 1 and text.endswith("ъ"):
        text = text[:-1]  # pre-1918 spelling kept in names: Коммерсантъ = Коммерсант-а
    if lang == "es":
        text = "".join(
            ch
            for ch in unicodedata.normalize("NFD", text)
            if not (unicodedata.combining(ch) and ch != "\u0303")
        )
        text = unicodedata.normalize("NFC", text)
    return text


@lru_cache(maxsize=1 << 18)
def ru_parses(word: str) -> tuple:
    return tuple(morph().parse(word))


@lru_cache(maxsize=1 << 18)
def text_keys(word: str, lang: str) -> tuple[tuple[str, str], ...]:
    """(key, how) pairs for a word of running text; `how` says where the key came from."""
    surface = fold(word, lang)
    keys: dict[str, str] = {surface: "surface"}
    if lang == "ru":
        for normal in morph().normal_forms(word):  # cheaper than parse(); parses only on a match
            keys.setdefault(fold(normal, lang), "lemma")
    elif lang == "es":
        lower = word.lower()
        for form in (word, lower):
            keys.setdefault(fold(es_lemma(form), lang), "lemma")
        for base in es_singulars(lower):
            keys.setdefault(fold(base, lang), "plural")
        if not es_known(lower):
            for base in es_diminutive_bases(lower):
                keys.setdefault(fold(base, lang), "diminutive")
    return tuple(keys.items())


@lru_cache(maxsize=1 << 16)
def term_keys(word: str, lang: str) -> tuple[str, ...]:
    """Keys for a word of a glossary term."""
    if lang == "es" and word[:1].isupper():
        return (fold(word, lang),)  # a name: surface only
    return tuple(k for k, _how in text_keys(word, lang) if _how != "diminutive")


def es_singulars(word: str) -> list[str]:
    """Singulars a Spanish plural may come from (flores -> flor, luces -> luz); simplemma's one
    lemma is sometimes a verb (flores -> florar)."""
    if len(word) < 4 or not word.endswith("s"):
        return []
    if word.endswith("ces"):
        return [word[:-3] + "z", word[:-1]]
    if word.endswith("es"):
        return [word[:-2], word[:-1]]
    return [word[:-1]]


def es_diminutive_bases(word: str) -> list[str]:
    """Candidate bases of a Spanish diminutive that simplemma does not know:
    viveritos -> vivero, orquideíta -> orquídea, florecitas -> flor, amiguito -> amigo."""
    for suffix, ending in _ES_DIMINUTIVES:
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        stem = word[: -len(suffix)]
        stems = [stem] + [stem[: -len(a)] + b for a, b in _SPELLING if stem.endswith(a)]
        return [c for s in stems for c in (s + ending, s + "e" + ending, s)]
    return []


def _ru_numbers(word: str, key: str, pos: tuple[str, ...]) -> list[str]:
    parses = [p for p in ru_parses(word) if fold(p.normal_form, "ru") == key]
    preferred = [p for p in parses if p.tag.POS in pos] or parses
    return [p.tag.number for p in preferred if p.tag.number]


def is_plural(words: list[tuple[str, str, str]], term_words: list[str], head: int, lang: str):
    """Is the matched text plural where the glossary term is singular (орхидеи, orquídeas)?

    `words` are the matched (text word, key, how) triples. Russian: the head noun's number when
    every reading of it agrees, else that of an agreeing adjective («атомные электростанции»),
    else the likeliest reading. Spanish: the head (first) word ends in -s where the term's does not.
    """
    text, key, how = words[head]
    if fold(text, lang) == fold(term_words[head], lang):
        return False  # the glossary's own form
    if lang == "ru":
        term = [p for p in ru_parses(term_words[head]) if p.tag.POS == "NOUN"]
        if term and term[0].tag.number == "plur":
            return False
        numbers = _ru_numbers(text, key, ("NOUN",))
        if len(set(numbers)) == 1:
            return numbers[0] == "plur"
        for i, (word, k, _how) in enumerate(words):
            if i != head:
                agreeing = set(_ru_numbers(word, k, ("ADJF", "PRTF")))
                if len(agreeing) == 1:
                    return agreeing == {"plur"}
        return bool(numbers) and numbers[0] == "plur"
    if lang == "es":
        t, g = fold(text, lang), fold(term_words[head], lang)
        return t.endswith("s") and not g.endswith("s")
    return False


def is_singular(words: list[tuple[str, str, str]], term_words: list[str], head: int, lang: str):
    """Is the matched text singular where the glossary term is plural (an entry «орхидеи» ->
    "orchids" matching «орхидея», «orquídeas» matching «orquídea»)?"""
    text, key, _how = words[head]
    if fold(text, lang) == fold(term_words[head], lang):
        return False  # the glossary's own form
    if lang == "ru":
        term = [p for p in ru_parses(term_words[head]) if p.tag.POS == "NOUN"]
        if not term or term[0].tag.number != "plur":
            return False
        numbers = set(_ru_numbers(text, key, ("NOUN",)))
        return numbers == {"sing"}
    if lang == "es":
        t, g = fold(text, lang), fold(term_words[head], lang)
        return g.endswith("s") and not t.endswith("s")
    return False


def head_index(term_words: list[str], lang: str) -> int:
    """The word of a multi-word term whose number the translation follows (its first noun)."""
    if lang == "ru":
        for i, w in enumerate(term_words):
            parses = ru_parses(w)
            if parses and parses[0].tag.POS == "NOUN":
                return i
    return 0


class DiskCache:
    """Answers of a slow library kept on disk ($XDG_CACHE_HOME/translate/NAME.json), written once
    when the process ends. simplemma loads its whole Spanish dictionary (~1-3 s) on the first
    lookup; the words of a desk's stories repeat, so most processes never need to load it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._data: dict | None = None
        self._dirty = False

    @property
    def path(self):
        import os
        from pathlib import Path

        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "translate" / f"{self.name}.json"

    def get(self, key: str, compute):
        if self._data is None:
            import json

            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self._data = data if isinstance(data, dict) else {}
            except (OSError, ValueError):
                self._data = {}
        if key not in self._data:
            self._data[key] = compute()
            if not self._dirty:
                import atexit

                self._dirty = True
                atexit.register(self.save)
        return self._data[key]

    def save(self) -> None:
        import json
        import os
        import tempfile

        if not self._dirty or self._data is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self._data, fh, ensure_ascii=False)
            os.replace(tmp, self.path)
            self._dirty = False
        except OSError:
            pass  # a read-only cache folder only costs speed


SPANISH = DiskCache("spanish-lemmas")


@lru_cache(maxsize=1 << 18)
def es_lemma(word: str) -> str:
    """simplemma's Spanish lemma of a word (cached on disk)."""

    def compute() -> str:
        import simplemma

        return simplemma.lemmatize(word, lang="es")

    return SPANISH.get("l:" + word, compute)


@lru_cache(maxsize=1 << 18)
def es_known(word: str) -> bool:
    """Whether simplemma's Spanish dictionary knows the word (cached on disk)."""

    def compute() -> bool:
        import simplemma

        return bool(simplemma.is_known(word, lang="es"))

    return bool(SPANISH.get("k:" + word, compute))


@cache
def _inflect():
    import inflect

    return inflect.engine()


class _InflectionCache:
    """inflect's answers kept on disk ($XDG_CACHE_HOME/translate/english-inflections.json).

    Importing inflect costs ~2 s of CPU (its type-checking decorators); a glossary has a fixed set
    of target terms, so after the first run a process needs inflect only for terms it never saw."""

    def __init__(self) -> None:
        self._data: dict[str, dict[str, str]] | None = None

    @property
    def path(self):
        import os
        from pathlib import Path

        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "translate" / "english-inflections.json"

    def _load(self) -> dict[str, dict[str, str]]:
        if self._data is None:
            import json

            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                ok = isinstance(data, dict) and all(isinstance(v, dict) for v in data.values())
                self._data = data if ok else {}
            except (OSError, ValueError):
                self._data = {}
        return self._data

    def get(self, kind: str, key: str, compute) -> str:
        table = self._load().setdefault(kind, {})
        if key not in table:
            table[key] = compute(key)
            self._save()
        return table[key]

    def _save(self) -> None:
        import json

        from translate.publish.files import atomic_write

        try:
            atomic_write(self.path, json.dumps(self._data, ensure_ascii=False), fsync=False)
        except OSError:
            pass  # a read-only cache folder only costs speed


INFLECTIONS = _InflectionCache()


def _plural(phrase: str) -> str:
    try:
        return _inflect().plural_noun(phrase) or phrase
    except Exception:  # noqa: BLE001 - inflect rejects some inputs (digits only, punctuation)
        return phrase


def _article(word: str) -> str:
    try:
        return _inflect().a(word).split(" ", 1)[0]
    except Exception:  # noqa: BLE001
        return "a"


@lru_cache(maxsize=1 << 14)
def english_plural(phrase: str) -> str:
    """The plural of an English noun phrase (inflect): orchid -> orchids, nursery -> nurseries."""
    if not phrase.strip():
        return phrase
    return INFLECTIONS.get("plural", phrase, _plural)


def _singular(phrase: str) -> str:
    words = phrase.split(" ")
    try:
        last = _inflect().singular_noun(words[-1])
    except Exception:  # noqa: BLE001 - inflect rejects some inputs
        last = False
    return " ".join(words[:-1] + [last]) if last else phrase


@lru_cache(maxsize=1 << 14)
def english_singular(phrase: str) -> str:
    """The singular of an English noun phrase (inflect): orchids -> orchid, nurseries -> nursery."""
    if not phrase.strip():
        return phrase
    return INFLECTIONS.get("singular", phrase, _singular)


@lru_cache(maxsize=1 << 12)
def english_article(word: str) -> str:
    """'a' or 'an' for an English word or phrase (inflect): an orchid, a nursery, an NGO."""
    return INFLECTIONS.get("article", word, _article)
