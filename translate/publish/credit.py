"""The credit line and the machine-assistance disclosure of a published translation.

The credit line comes from the workflow's `publishing.credit_line` template, rendered with babel in
the output locale (`publishing.locale`): language names ("Russian"), lists ("Ana Petrova and Marta
Ruiz") and dates ("12 October 2012" in en_GB, "October 12, 2012" in en). Placeholders:

  {source_language} {translators} {editors} {editors_clause} {outlet} {published} {author}
  {headline} {url}

A sentence of the template whose placeholder has no value (a story without an outlet or a date) is
left out rather than printed with a hole in it. An unknown placeholder is an error naming the file.
"""

from __future__ import annotations

import re
import string
from datetime import date, datetime

from translate.errors import DeskError
from translate.i18n import _

PLACEHOLDERS = (
    "source_language",
    "translators",
    "editors",
    "editors_clause",
    "outlet",
    "published",
    "author",
    "headline",
    "url",
)
DISCLOSURE = (
    "Machine translation assisted this translation: {engines}. "
    "Every sentence was checked by the people credited above."
)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


def parse_date(value: str | None) -> date | None:
    """A date from ISO text ("2012-10-12", "2012-10-12T08:00:00+04:00"); None when not ISO."""
    if not value:
        return None
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def format_day(value: str | None, locale: str) -> str | None:
    """A date in the locale's long form; non-ISO text is kept as written."""
    from babel.dates import format_date

    if not value:
        return None
    parsed = parse_date(value)
    return format_date(parsed, format="long", locale=locale) if parsed else str(value).strip()


def language_name(code: str, locale: str) -> str:
    from babel import Locale

    try:
        return Locale.parse(locale).languages.get(code) or code
    except (ValueError, TypeError):
        return code


def join_names(names: list[str], locale: str) -> str:
    from babel.lists import format_list

    return format_list(names, locale=locale) if names else ""


def template_fields(template: str, source: str = "workflow.yaml") -> list[str]:
    """The placeholders a template uses; an unknown one is an error naming the workflow file."""
    try:
        fields = [name for _text, name, _spec, _conv in string.Formatter().parse(template) if name]
    except ValueError as exc:
        raise DeskError(
            _("{path}: publishing.credit_line is not a valid template ({reason})").format(
                path=source, reason=exc
            )
        ) from None
    for name in fields:
        if name not in PLACEHOLDERS:
            raise DeskError(
                _(
                    "{path}: publishing.credit_line uses unknown placeholder '{{{name}}}' "
                    "(known: {known})"
                ).format(path=source, name=name, known=", ".join(PLACEHOLDERS))
            )
    return fields


def credit_line(
    template: str,
    *,
    locale: str,
    source_language: str,
    translators: list[str],
    editors: list[str],
    outlet: str | None,
    published: str | None,
    author: str | None = None,
    headline: str | None = None,
    url: str | None = None,
    source: str = "workflow.yaml",
) -> str:
    """Render the credit template; sentences whose placeholders have no value are dropped."""
    template_fields(template, source)
    values: dict[str, str | None] = {
        "source_language": language_name(source_language, locale),
        "translators": join_names(translators, locale) or None,
        "editors": join_names(editors, locale) or None,
        "editors_clause": (" and edited by " + join_names(editors, locale)) if editors else "",
        "outlet": outlet or None,
        "published": format_day(published, locale),
        "author": author or None,
        "headline": headline or None,
        "url": url or None,
    }
    kept = []
    for sentence in _SENTENCE_BREAK.split(template.strip()):
        names = [n for _t, n, _s, _c in string.Formatter().parse(sentence) if n]
        if any(values[n] is None for n in names):
            continue
        kept.append(sentence.format(**{n: values[n] for n in names}))
    return " ".join(kept)


def describe_engine(used: dict) -> str:
    """'argos (model translate-ru_en, version 1.9)'; parts that are unknown are left out."""
    parts = []
    if used.get("model"):
        parts.append(f"model {used['model']}")
    if used.get("model_version"):
        parts.append(f"version {used['model_version']}")
    name = used.get("engine") or "machine translation"
    return f"{name} ({', '.join(parts)})" if parts else name


def disclosure(machine: list[dict], locale: str) -> str | None:
    """The machine-assistance disclosure, or None when no machine translation was used."""
    if not machine:
        return None
    return DISCLOSURE.format(engines=join_names([describe_engine(m) for m in machine], locale))
