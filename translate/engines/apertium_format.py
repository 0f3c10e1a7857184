"""Apertium's stream format, as the desk writes and reads it (translate/engines/apertium.py
drives the programs): a sentence escaped as `apertium-destxt` would write it, with the desk's
inline markup as word-bound blanks; an output block back to plain text with its unknown-word marks
counted; a lexical unit to its target lemma; and the sentence case Apertium changes after an
unknown first word.
"""

from __future__ import annotations

import re

# English words that keep their capital anywhere in a sentence.
_ALWAYS_CAPITAL = frozenset(
    "I Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May"
    " June July August September October November December".split()
)
_WORD = re.compile(r"^\w+")


def sentence_case(source: str, output: str) -> str:
    """Undo Apertium's capital on the word after the words that open a sentence unchanged.

    "ZQX1 también se fue." -> "ZQX1 Also went ." becomes "ZQX1 also went .": the leading words
    that came through as they were (names, placeholders) are followed by a word that was
    lower-case in the source and got a capital only from Apertium's sentence-start rule.
    """
    src, out = source.split(), output.split()
    k = 0
    while k < min(len(src), len(out)) and src[k] == out[k]:
        k += 1
    if k == 0 or k >= len(src) or k >= len(out) or not any(c.isupper() for c in src[0]):
        return output
    word = _WORD.match(out[k])
    if not word or not src[k][:1].islower() or word.group() in _ALWAYS_CAPITAL:
        return output
    text = word.group()
    if len(text) < 2 or not text[0].isupper() or not text[1:].islower():
        return output
    out[k] = text[0].lower() + out[k][1:]
    return " ".join(out)


_SPECIAL = re.compile(r"([\\\[\]^$@/<>{}])")
_STREAM = re.compile(r"\\(.)|(\[\[[^\]]*\]\])|\[((?:\\.|[^\]\\])*)\]|([^\\\[]+|.)", re.S)
_MARK = re.compile(r"(?<![^\W\d_])(?<![*#@])([*#@])(?=\w)")
_UNESCAPE = re.compile(r"\\(.)", re.S)
_MARKS = frozenset("*#@")
_WORD = re.compile(r"\w+")


_MARKUP = re.compile(r'<g id="(\d+)">|</g>')
_WBLANK = re.compile(r"\[\[t:g:(\d+)\]\]|\[\[/\]\]")
_REJOIN = re.compile(r'<g id="(\d+)">([^<]*)</g>(\s*)<g id="\1">')


_UNIT = re.compile(r"\^((?:\\.|[^$\\])*)\$")
_SLASH = re.compile(r"(?<!\\)/")


def lemma_of(unit: str) -> str:
    """The target lemma of one lexical unit of Apertium's stream (`source<tags>/target<tags>`),
    or the source word where the dictionary has none; punctuation gives ""."""
    forms = _SLASH.split(unit)
    form = forms[1] if len(forms) > 1 else forms[0]
    lemma = _UNESCAPE.sub(r"\1", form.split("<", 1)[0]).lstrip("*@#")
    if form.startswith("@") or not lemma:
        lemma = _UNESCAPE.sub(r"\1", forms[0].split("<", 1)[0]).lstrip("*@#")
    lemma = lemma.replace("#", " ").replace("+", " ").strip()
    return lemma if any(ch.isalnum() for ch in lemma) else ""


def lemmas(block: str) -> str:
    """The target lemmas of an output block of lexical units, in order ("el ministro rehusar…")."""
    return " ".join(filter(None, map(lemma_of, _UNIT.findall(block))))


def deformat(text: str) -> str:
    """A sentence as `apertium-destxt` writes it: specials escaped, a sentence end added; the
    desk's inline markup `<g id="n">words</g>` becomes a word-bound blank `[[t:g:n]]words[[/]]`,
    which Apertium keeps attached to the words through transfer (as `-f html` does `<b>`)."""
    out, pos = [], 0
    for m in _MARKUP.finditer(text):
        out.append(_SPECIAL.sub(r"\\\1", text[pos : m.start()]))
        out.append(f"[[t:g:{m.group(1)}]]" if m.group(1) else "[[/]]")
        pos = m.end()
    out.append(_SPECIAL.sub(r"\\\1", text[pos:]))
    return "".join(out) + ".[]"


def _read_stream(block: str) -> str:
    """A block's text with escapes undone, blanks restored and the desk's markup back as tags."""
    parts = []
    for escaped, wordbound, blank, plain in _STREAM.findall(block):
        if escaped:
            parts.append(escaped)
        elif plain:
            parts.append(plain)
        elif wordbound:
            group = _WBLANK.fullmatch(wordbound)
            if group:  # the desk's markup: each word of a group comes back wrapped
                parts.append(f'<g id="{group.group(1)}">' if group.group(1) else "</g>")
        elif blank:
            parts.append(_UNESCAPE.sub(r"\1", blank))
    return "".join(parts)


def unformat(block: str, source: str) -> tuple[str, int, int]:
    """Apertium's output block -> (plain text, unknown words, words).

    The added sentence end (".[]") and the format blanks are removed, escapes undone; the marks of
    unknown words (`*`, and `@`/`#` for words without a translation or a form) are stripped and
    counted: an unknown word that starts with a lower-case letter is a gap in the dictionaries,
    while a capitalised one is mostly a name or a glossary placeholder passed through unchanged,
    so only those marked `@`/`#` or lower-case count against the confidence.
    """
    if block.endswith(".[]"):
        block = block[:-3]
    # plain text (most blocks): nothing escaped, no blanks or markup to read
    text = block if "\\" not in block and "[" not in block else _read_stream(block)
    markup = "<g id=" in text or "</g>" in text  # the desk's markup came back (a term)
    while markup:  # <g id="1">Middle</g> <g id="1">East</g> -> <g id="1">Middle East</g>; also
        # with nothing between (Apertium cuts «EE. UU» at its full stop: EE</g><g id="1">. UU)
        joined = _REJOIN.sub(r'<g id="\1">\2\3', text)
        if joined == text:
            break
        text = joined
    literal = {w for w in source.split() if w[:1] in "*#@"} if _MARKS & set(source) else set()
    unknown = 0

    def strip(match: re.Match) -> str:
        nonlocal unknown
        end = text.find(" ", match.end())
        token = text[match.start() : end if end >= 0 else len(text)]
        if token in literal:
            return match.group(1)
        word = text[match.end() : match.end() + 1]
        if match.group(1) != "*" or word.islower():
            unknown += 1
        return ""

    if _MARKS & set(text):
        text = _MARK.sub(strip, text)
    words = len(_WORD.findall(_MARKUP.sub(" ", text) if markup else text))
    return " ".join(text.split()), unknown, words
