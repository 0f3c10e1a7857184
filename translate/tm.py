"""Translation memory: approved segment pairs, reused exactly and offered as fuzzy matches.

- `record_approved(store, story_id)`: every translated segment of an approved story enters the TM
  with its story, pair and time (a later approval of the same story replaces its entries).
- `exact_match(store, src, tgt, text)`: the newest approved translation of the same source
  (compared after Unicode NFC and whitespace normalisation; case and punctuation count).
- `fuzzy_matches(store, src, tgt, text, limit, threshold)`: similar sources, best first, each with a
  score (rapidfuzz's normalised Indel similarity on case-folded text, 0-100) and a word diff.

Fuzzy lookup keeps one in-memory index per pair, rebuilt when the TM changes: case-folded sources
sorted into a length band (a score >= t needs lengths within t/(2-t) of each other) and an inverted
index of 4-letter word prefixes (so inflected forms still meet). A candidate must share at least
(2t-1) of the query's prefixes before rapidfuzz scores it; that keeps a lookup in the low
milliseconds at 100,000 entries (bench/tm.py).
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from translate.clock import now_iso

DEFAULT_THRESHOLD = 75
_WS_RE = re.compile(r"\s+")
_DIFF_TOKEN_RE = re.compile(r"\w+|[^\w\s]+|\s+")
_PREFIX = 4


def normalize(text: str) -> str:
    """The form sources are compared in for an exact match: NFC, one space, no outer blanks."""
    return _WS_RE.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def _fold(text: str) -> str:
    return normalize(text).casefold()


# ---------------------------------------------------------------- recording and exact reuse


def record_approved(store, story_id: str) -> int:
    """Put the story's translated segments into the TM (replacing its earlier entries).

    Called by the review gate inside the approval's transaction; returns the number of entries."""
    story = store.story(story_id)
    at = now_iso()
    rows = [
        {
            "source_lang": story["language"],
            "target_lang": story["target_language"] or "en",
            "source": seg["source"],
            "source_norm": normalize(seg["source"]),
            "target": seg["translation"],
            "story_id": story_id,
            "segment_id": seg["id"],
            "at": at,
        }
        for seg in store.segments(story_id)
        if seg["translation"] and seg["translation"].strip() and normalize(seg["source"])
    ]
    with store.write():
        store.tm_replace_story(story_id, rows)
    return len(rows)


def exact_match(store, source_lang: str, target_lang: str, text: str) -> str | None:
    """The newest approved human translation of exactly this source in the pair, else None."""
    return exact_matches(store, source_lang, target_lang, [text]).get(text)


def exact_matches(store, source_lang: str, target_lang: str, texts: list[str]) -> dict[str, str]:
    """exact_match for many sources in one go: {text: translation} for those the memory holds."""
    norms = {text: normalize(text) for text in texts}
    rows = store.tm_exact_many(source_lang, target_lang, [n for n in norms.values() if n])
    return {text: rows[norm]["target"] for text, norm in norms.items() if norm in rows}


# ---------------------------------------------------------------- fuzzy matching


_MIX = 0x9E3779B97F4A7C15  # odd 64-bit multiplier: word prefixes hash into uint64 keys


def _word_table():
    """Is code point i a letter or digit; the last slot stands for every code point above."""
    import numpy as np

    return np.array([chr(i).isalnum() for i in range(0x3040)] + [True], dtype=bool)


_WORD_TABLE = None


def _prefix_keys(text: str) -> tuple[Any, Any]:
    """(key, text number) for the first `_PREFIX` letters of every word of NUL-separated texts.

    Vectorised over the code points so 100,000 entries index in well under a second."""
    import numpy as np

    global _WORD_TABLE
    if _WORD_TABLE is None:
        _WORD_TABLE = _word_table()
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    size = len(cps)
    if size == 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    word = np.zeros(size + _PREFIX, dtype=bool)
    word[:size] = _WORD_TABLE[np.minimum(cps, len(_WORD_TABLE) - 1)]
    begins = word[:size].copy()
    begins[1:] &= ~word[: size - 1]
    starts = np.flatnonzero(begins)
    padded = np.concatenate((cps, np.zeros(_PREFIX, dtype=np.uint32)))
    keys = padded[starts].astype(np.uint64)
    alive = np.ones(len(starts), dtype=bool)
    mix = np.uint64(_MIX)
    for j in range(1, _PREFIX):
        alive &= word[starts + j]
        keys = keys * mix + padded[starts + j].astype(np.uint64) * alive
    owner = np.searchsorted(np.flatnonzero(cps == 0), starts)
    return keys, owner


@dataclass
class _PairIndex:
    ids: Any  # numpy int64: tm row id of each indexed source
    folded: list[str]  # case-folded normalised sources (duplicates dropped: the newest wins)
    lengths: Any  # numpy int32
    keys: Any  # numpy uint64, sorted distinct word-prefix keys
    bounds: Any  # postings of keys[k] are entries[bounds[k]:bounds[k + 1]]
    entries: Any

    @classmethod
    def build(cls, rows: list[tuple[int, str]]) -> _PairIndex:
        import numpy as np

        newest: dict[str, int] = {}
        joined = "\x00".join(norm.replace("\x00", "") for _id, norm in rows).casefold()
        for (row_id, _norm), f in zip(rows, joined.split("\x00") if rows else [], strict=True):
            if newest.get(f, -1) < row_id:
                newest[f] = row_id
        folded = list(newest)
        ids = np.fromiter(newest.values(), dtype=np.int64, count=len(folded))
        lengths = np.fromiter(map(len, folded), dtype=np.int32, count=len(folded))
        keys, owner = _prefix_keys("\x00".join(folded))
        order = np.lexsort((owner, keys))
        keys, owner = keys[order], owner[order]
        if len(keys):
            fresh = np.concatenate(([True], (keys[1:] != keys[:-1]) | (owner[1:] != owner[:-1])))
            keys, owner = keys[fresh], owner[fresh]
        first = np.concatenate(([True], keys[1:] != keys[:-1])) if len(keys) else np.zeros(0, bool)
        starts = np.flatnonzero(first)
        bounds = np.concatenate((starts, [len(keys)]))
        return cls(ids, folded, lengths, keys[starts], bounds, owner.astype(np.int32))

    def candidates(self, query: str, cutoff: float) -> Any:
        """Positions of the sources that may score >= cutoff: length band and shared prefixes."""
        import numpy as np

        t = cutoff / 100
        n = len(self.folded)
        wanted = np.unique(_prefix_keys(query.replace("\x00", ""))[0])
        if len(wanted):
            at = np.searchsorted(self.keys, wanted)
            hit = at < len(self.keys)
            hit[hit] = self.keys[at[hit]] == wanted[hit]
            lists = [self.entries[self.bounds[k] : self.bounds[k + 1]] for k in at[hit]]
            if not lists:
                return np.empty(0, dtype=np.int64)
            need = max(1, math.ceil(len(wanted) * (2 * t - 1)))
            counts = np.bincount(np.concatenate(lists), minlength=n)
            found = np.flatnonzero(counts >= need)
        else:  # no letters or digits at all
            found = np.arange(n)
        length = len(query)
        low, high = math.floor(length * t / (2 - t)), math.ceil(length * (2 - t) / t)
        sizes = self.lengths[found]
        return found[(sizes >= low) & (sizes <= high)]


def _index(store, source_lang: str, target_lang: str) -> _PairIndex:
    cache = store.__dict__.setdefault("_tm_indexes", {})
    generation = store.tm_generation()
    hit = cache.get((source_lang, target_lang))
    if hit is not None and hit[0] == generation:
        return hit[1]
    index = _PairIndex.build(store.tm_pair_sources(source_lang, target_lang))
    cache[(source_lang, target_lang)] = (generation, index)
    return index


def fuzzy_matches(
    store,
    source_lang: str,
    target_lang: str,
    text: str,
    limit: int = 3,
    threshold: int | float | None = None,
) -> list[dict]:
    """TM entries whose source resembles `text` (score >= threshold, default 75), best first.

    Each match: score (0-100, int), source, target, story_id, segment_id, at, and `diff`, the word
    diff from the memory's source to `text` as [(op, text)] with op '=', '-' or '+'."""
    from rapidfuzz import fuzz, process

    cutoff = float(DEFAULT_THRESHOLD if threshold is None else threshold)
    query = _fold(text)
    if not query or limit <= 0:
        return []
    index = _index(store, source_lang, target_lang)
    if not index.folded:
        return []
    found = index.candidates(query, cutoff)
    choices = [index.folded[i] for i in found]
    best = process.extract(query, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
    ids = [int(index.ids[found[position]]) for _choice, _score, position in best]
    rows = store.tm_rows(ids)
    scored = [(round(score), rows[i]) for (_c, score, _p), i in zip(best, ids, strict=True)]
    scored.sort(key=lambda item: item[1]["id"], reverse=True)  # equal scores: newest first
    scored.sort(key=lambda item: item[0], reverse=True)
    return [
        {
            "score": score,
            "source": row["source"],
            "target": row["target"],
            "story_id": row["story_id"],
            "segment_id": row["segment_id"],
            "at": row["at"],
            "source_lang": source_lang,
            "target_lang": target_lang,
            "diff": word_diff(row["source"], text),
        }
        for score, row in scored
    ]


def search(
    store,
    text: str,
    source_lang: str | None = None,
    target_lang: str | None = None,
    limit: int = 10,
    threshold: int | float | None = None,
) -> list[dict]:
    """Fuzzy matches for `text` in one pair, or in every pair of the TM; best first."""
    pairs = [
        (s, t)
        for s, t in store.tm_pairs()
        if (source_lang is None or s == source_lang) and (target_lang is None or t == target_lang)
    ]
    found: list[dict] = []
    for s, t in pairs:
        found.extend(fuzzy_matches(store, s, t, text, limit=limit, threshold=threshold))
    found.sort(key=lambda m: m["at"] or "", reverse=True)
    found.sort(key=lambda m: m["score"], reverse=True)
    return found[:limit]


# ---------------------------------------------------------------- word diff


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A word-level diff: [('=', same), ('-', only in old), ('+', only in new)], spaces kept."""
    a, b = _DIFF_TOKEN_RE.findall(old or ""), _DIFF_TOKEN_RE.findall(new or "")
    ops: list[tuple[str, str]] = []

    def push(op: str, tokens: list[str]) -> None:
        if not tokens:
            return
        text = "".join(tokens)
        if ops and ops[-1][0] == op:
            ops[-1] = (op, ops[-1][1] + text)
        else:
            ops.append((op, text))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("=", a[i1:i2])
        else:
            push("-", a[i1:i2])
            push("+", b[j1:j2])
    return ops


def render_diff(ops: list[tuple[str, str]]) -> str:
    """'[-old-]{+new+}' markup (as `git diff --word-diff` prints it)."""
    out = []
    for op, text in ops:
        if op == "=":
            out.append(text)
        elif op == "-":
            out.append(f"[-{text}-]")
        else:
            out.append(f"{{+{text}+}}")
    return "".join(out)
