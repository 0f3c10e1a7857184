"""Gettext for the CLI's own messages.

Catalogs live in the top-level `locales/` folder: `locales/translate.pot` (the template) and
`locales/<lang>/LC_MESSAGES/translate.po`, compiled to `.mo` with babel (`python -m translate.i18n
compile`, run by scripts/setup). The UI language follows `--ui-lang`, else LANGUAGE / LC_ALL /
LC_MESSAGES / LANG. When a `.mo` is missing or older than its `.po`, the catalog is compiled in
memory with babel so a fresh checkout still speaks the user's language.

Use `_()` for every user-facing message; `ngettext()` for counts.
"""

from __future__ import annotations

import gettext as _gettext
import os
import sys
from pathlib import Path

DOMAIN = "translate"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
UI_LANGUAGES = ("en", "ru", "es")

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_ui_lang = "en"


def _wanted_languages(explicit: str | None) -> list[str]:
    if explicit:
        return [explicit]
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return [part.split(".")[0] for part in value.split(":") if part]
    return []


def _load(lang: str) -> _gettext.NullTranslations | None:
    po = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return _gettext.GNUTranslations(fh)
    if po.exists():
        import io

        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        return _gettext.GNUTranslations(buf)
    return None


def setup(ui_lang: str | None = None) -> str:
    """Choose the UI language; returns the language code in use ("en" when none matched)."""
    global _translation, _ui_lang
    _translation, _ui_lang = _gettext.NullTranslations(), "en"
    for wanted in _wanted_languages(ui_lang):
        for candidate in (wanted, wanted.split("_")[0]):
            if candidate in ("en", "C", "POSIX") or candidate.startswith("en_"):
                return _ui_lang
            if candidate in UI_LANGUAGES:
                loaded = _load(candidate)
                if loaded is not None:
                    _translation, _ui_lang = loaded, candidate
                    return _ui_lang
    return _ui_lang


def ui_language() -> str:
    return _ui_lang


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def compile_catalogs() -> list[Path]:
    """Compile every locales/<lang>/LC_MESSAGES/translate.po to .mo with babel."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        lang = po.parent.parent.name
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        with po.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)
        written.append(po.with_suffix(".mo"))
    return written


def extract_messages():
    """Every `_()` / `ngettext()` message in the package (its Python and its web templates), as
    a babel Catalog."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="translate", version="0.1.0", charset="utf-8")
    package = Path(__file__).resolve().parent
    # the web front's Jinja2 templates call _() too
    method_map = [("**.py", "python"), ("web/templates/**.html", "jinja2.ext:babel_extract")]
    keywords = {"_": None, "ngettext": (1, 2)}
    for filename, lineno, message, comments, context in extract_from_dir(
        str(package), method_map, keywords=keywords, comment_tags=("TRANSLATORS:",)
    ):
        catalog.add(
            message,
            None,
            [(f"translate/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def update_catalogs() -> list[Path]:
    """Write locales/translate.pot and merge it into each language's .po (keeping translations)."""
    from babel.messages.pofile import read_po, write_po

    template = extract_messages()
    LOCALES_DIR.mkdir(exist_ok=True)
    with (LOCALES_DIR / f"{DOMAIN}.pot").open("wb") as fh:
        write_po(fh, template, width=100, omit_header=False)
    written = []
    for lang in UI_LANGUAGES:
        if lang == "en":
            continue
        po = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        po.parent.mkdir(parents=True, exist_ok=True)
        if po.exists():
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
            catalog.update(template, no_fuzzy_matching=True)
        else:
            from babel.messages.catalog import Catalog

            catalog = Catalog(locale=lang, project="translate", version="0.1.0")
            catalog.update(template, no_fuzzy_matching=True)
        with po.open("wb") as fh:
            write_po(fh, catalog, width=100, ignore_obsolete=True)
        written.append(po)
    return written


if __name__ == "__main__":  # python -m translate.i18n extract|compile
    commands = {"compile": compile_catalogs, "extract": update_catalogs}
    if len(sys.argv) == 2 and sys.argv[1] in commands:
        for path in commands[sys.argv[1]]():
            print(path)
    else:
        print("usage: python -m translate.i18n extract|compile", file=sys.stderr)
        sys.exit(2)
