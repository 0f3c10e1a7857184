"""Every user-facing message is in the Russian and Spanish catalogs, with the same placeholders."""

from __future__ import annotations

import string

import pytest
from babel.messages.pofile import read_po

from translate import i18n


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def _catalog(lang: str):
    path = i18n.LOCALES_DIR / lang / "LC_MESSAGES" / "translate.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


@pytest.mark.parametrize("lang", ["ru", "es"])
def test_every_message_in_the_code_is_translated(lang):
    code = i18n.extract_messages()
    catalog = _catalog(lang)
    missing, untranslated, broken = [], [], []
    for message in code:
        if not message.id:
            continue
        entry = catalog.get(message.id)
        if entry is None:
            missing.append(message.id)
            continue
        if not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
            untranslated.append(message.id)
            continue
        if entry.fuzzy:
            untranslated.append(message.id)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set().union(*(_fields(i) for i in ids))
        for s in strings:
            if _fields(s) - wanted or (len(ids) == 1 and _fields(s) != wanted):
                broken.append((message.id, s))
    assert not missing, f"{len(missing)} messages missing from {lang} catalog: {missing[:5]}"
    assert not untranslated, f"{len(untranslated)} untranslated in {lang}: {untranslated[:5]}"
    assert not broken, f"placeholders differ in {lang}: {broken[:5]}"


def test_catalog_compiles_and_cli_speaks_russian(capsys):
    from translate.cli import run

    written = i18n.compile_catalogs()
    assert {p.parent.parent.name for p in written} >= {"ru", "es"}
    message = (
        "no workflow.yaml here or in any parent folder; run 'translate init' or pass --workflow"
    )
    russian = _catalog("ru").get(message).string
    assert russian and russian != message
    code = run(["--ui-lang", "ru", "status"])
    i18n.setup("en")
    assert code == 1
    assert russian in capsys.readouterr().err


def test_ui_language_follows_environment(monkeypatch):
    message = "{path}: the file is empty"
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    assert i18n.setup(None) == "es"
    assert i18n._(message) == _catalog("es").get(message).string
    monkeypatch.setenv("LANGUAGE", "ru")
    assert i18n.setup(None) == "ru"
    assert i18n._(message) == _catalog("ru").get(message).string
    assert i18n.setup("en") == "en"
    assert i18n._(message) == message


def test_claim_times_are_formatted_by_babel_in_the_ui_language():
    from translate.review.access import format_time

    assert format_time("2012-10-15T13:00:00+00:00") == "Oct 15, 2012, 13:00 UTC"
    i18n.setup("ru")
    assert format_time("2012-10-15T13:00:00+00:00") == "15 окт. 2012\u202fг., 13:00 UTC"
    i18n.setup("es")
    assert format_time("2012-10-15T13:00:00+00:00") == "15 oct 2012, 13:00 UTC"
    i18n.setup("en")


def test_an_unknown_ui_language_is_a_usage_error(capsys):
    from translate.cli import run

    assert run(["--ui-lang", "de", "status"]) == 2
    assert "'de' is not a language of the tool (one of: en, ru, es)" in capsys.readouterr().err
    assert run(["--ui-lang", "es_MX", "--help"]) == 0
    i18n.setup("en")
