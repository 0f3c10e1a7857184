"""Provenance fields are validated at ingest: what a story says about itself ends up in JSON-LD and
on a published page, so it must be what it claims to be.

- `published`, `updated`: a real date or date-time, ISO 8601 (`2012-10-15`,
  `2012-10-15T09:00:00+03:00`; YAML dates too) or RFC 2822 (`Mon, 15 Oct 2012 09:00:00 +0300`,
  as some HTML pages carry). Stored normalised to ISO 8601. `2012-13-45` and "yesterday-ish" are
  refused.
- `url`: an absolute http or https address with a host (`javascript:`, `data:`, `file:` and
  relative addresses are refused).
- `title`: at most TITLE_MAX (300) characters: the longest real headlines run to about 150; a
  longer "title" is a paragraph that would become a many-segment <h1>.
- plain text only: a first line that reads as a lead paragraph, not a headline (two sentences or
  more and over LEAD_MIN characters, or over TITLE_MAX), is kept as the first paragraph and the
  headline becomes its first sentence (without its full stop, cut at a word before HEADLINE_MAX
  characters with "…" when still longer); the ingest warns about it.

Every refusal is one line naming the file and the field; nothing is stored.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from translate.i18n import _
from translate.ingest.decode import IngestError
from translate.model import IngestedStory, Unit

TITLE_MAX = 300
LEAD_MIN = 120
HEADLINE_MAX = 120
DATE_FIELDS = ("published", "updated")
# what YAML 1.1/1.2 resolves as a timestamp: a failed one is a date that does not exist
YAML_TIMESTAMP_RE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([Tt ]|$)")


def _show(value: str, limit: int = 60) -> str:
    value = " ".join(str(value).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def normalise_date(value) -> str | None:
    """ISO 8601 text for a date/date-time value, or None when it is not one."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        from email.utils import parsedate_to_datetime

        try:
            return parsedate_to_datetime(text).isoformat()
        except (TypeError, ValueError, IndexError):
            return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text.replace("z", "Z")).isoformat()
    except ValueError:
        return None


def bad_yaml_date(meta: dict, path: Path) -> IngestError | None:
    """The error for a front matter value YAML takes for a date that does not exist (2012-13-45),
    found in the mapping loaded without type resolution; None when there is none."""
    for key, value in meta.items():
        if isinstance(value, str) and YAML_TIMESTAMP_RE.match(value.strip()):
            if normalise_date(value) is None:
                return _not_a_date(path, str(key), value)
    return None


def _not_a_date(path: Path, key: str, value) -> IngestError:
    return IngestError(
        _(
            "{path}: front matter '{key}' is not a real date ('{value}'); use ISO 8601 such as "
            "2012-10-15 or 2012-10-15T09:00:00+03:00"
        ).format(path=path, key=key, value=_show(value))
    )


def check_url(url: str | None, path: Path) -> None:
    if not url:
        return
    parts = urlsplit(url.strip())
    ok = (
        parts.scheme.lower() in ("http", "https")
        and bool(parts.hostname)
        and not re.search(r"\s", url.strip())
    )
    if not ok:
        raise IngestError(
            _("{path}: 'url' must be an http:// or https:// address, not '{value}'").format(
                path=path, value=_show(url)
            )
        )


def check_title(title: str, path: Path) -> None:
    if len(title) > TITLE_MAX:
        raise IngestError(
            _(
                "{path}: 'title' is {n} characters long; a headline has at most {max} "
                "(is the first paragraph in the title?)"
            ).format(path=path, n=len(title), max=TITLE_MAX)
        )


def check_provenance(story: IngestedStory, path: Path) -> None:
    """Validate and normalise the story's provenance fields in place (IngestError otherwise)."""
    for key in DATE_FIELDS:
        value = getattr(story, key)
        if value is None:
            continue
        iso = normalise_date(value)
        if iso is None:
            raise _not_a_date(path, key, value)
        setattr(story, key, iso)
    check_url(story.url, path)
    check_title(story.title, path)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:—–-") + "…"


def lead_as_headline(story: IngestedStory, path: Path) -> str | None:
    """Plain text whose first line is a lead: keep the lead as the first paragraph and take its
    first sentence as the headline. Returns the warning, or None when the title is a headline."""
    from translate.segment import split

    title = story.title
    sentences = [s.text.strip() for s in split(title, story.language) if s.text.strip()]
    if not (len(sentences) >= 2 and len(title) > LEAD_MIN) and len(title) <= TITLE_MAX:
        return None
    first = sentences[0] if sentences else title
    if first.endswith(".") and not first.endswith(".."):
        first = first[:-1]
    headline = _cut(first, HEADLINE_MAX)
    story.title = headline
    headline_unit = next(u for u in story.units if u.kind == "headline")
    position = story.units.index(headline_unit)
    headline_unit.text = headline
    story.units.insert(position + 1, Unit("paragraph", title))
    return _(
        "{path}: the first line reads as a lead ({n} sentences, {chars} characters), not a "
        "headline; kept it as the first paragraph and took '{headline}' as the headline"
    ).format(path=path, n=len(sentences), chars=len(title), headline=headline)
