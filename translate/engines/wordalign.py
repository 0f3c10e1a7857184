"""Word alignment from a SentencePiece model's cross-attention (CTranslate2 `return_attention`).

A "word" is what SentencePiece makes of it: a piece starting with ▁ opens a new word, so
punctuation glued to a word («Газпромом», "Gazprom.") belongs to it. The attention of every target
piece over the source pieces is summed per source word and over the pieces of each target word;
each target word is linked to the source word with the highest weight. Character spans of the source words
come from SentencePiece's own offsets (UTF-8 bytes of the text as given, so normalisation such as
NFKC or collapsed spaces does not shift them); those of the target words are found in order in the
decoded text. Anything that does not add up gives no alignment rather than a wrong one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from translate.engines.base import Alignment

WORD_START = "▁"


def _groups(pieces: Sequence[str]) -> list[list[int]]:
    """Piece indices grouped into words."""
    words: list[list[int]] = []
    for i, piece in enumerate(pieces):
        if not words or piece.startswith(WORD_START):
            words.append([])
        words[-1].append(i)
    return words


def _char_offsets(text: str) -> dict[int, int]:
    """UTF-8 byte offset -> character offset, for every character boundary of text."""
    offsets, position = {}, 0
    for i, char in enumerate(text):
        offsets[position] = i
        position += len(char.encode("utf-8"))
    offsets[position] = len(text)
    return offsets


def source_words(
    text: str, pieces: Sequence[tuple[str, int, int]]
) -> tuple[list[tuple[int, int]], list[int]] | None:
    """(character span of each source word, word index of each piece) from (piece, begin, end)
    triples with UTF-8 byte offsets into text, as SentencePiece's `return_type='proto'` gives."""
    offsets = _char_offsets(text)
    spans: list[tuple[int, int]] = []
    word_of = [0] * len(pieces)
    for n, group in enumerate(_groups([p for p, _b, _e in pieces])):
        begin, end = pieces[group[0]][1], pieces[group[-1]][2]
        if begin not in offsets or end not in offsets:
            return None
        start, stop = offsets[begin], offsets[end]
        while start < stop and text[start].isspace():
            start += 1
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        spans.append((start, stop))
        for i in group:
            word_of[i] = n
    return spans, word_of


def align(
    source_text: str,
    source_pieces: Sequence[tuple[str, int, int]],
    target_text: str,
    target_pieces: Sequence[str],
    attention: Sequence[Sequence[float]],
    decode: Callable[[list[str]], str],
) -> Alignment | None:
    """Word alignment of one translation: `attention` has a row per target piece (prefix pieces
    already removed) and a column per source piece (extra columns, such as </s>, are ignored);
    `decode` turns a word's pieces into its text (SentencePieceProcessor.decode)."""
    found = source_words(source_text, source_pieces)
    if found is None or len(attention) != len(target_pieces) or not source_pieces:
        return None
    spans, word_of = found
    words, links, position = [], [], 0
    for group in _groups(target_pieces):
        word = decode([target_pieces[i] for i in group]).strip()
        if not word:
            continue
        at = target_text.find(word, position)
        if at < 0:
            return None
        weights = [0.0] * len(spans)
        for i in group:
            row = attention[i]
            if len(row) < len(source_pieces):
                return None
            for j, w in enumerate(row[: len(source_pieces)]):
                weights[word_of[j]] += w
        words.append((at, at + len(word)))
        links.append(max(range(len(weights)), key=weights.__getitem__))
        position = at + len(word)
    return Alignment(tuple(spans), tuple(words), tuple(links))
