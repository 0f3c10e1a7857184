"""The ingest stage: files and folders → stories with provenance, units and segments in the store.

Each story is parsed, checked (language, duplicates) and segmented before anything is written, then
stored in one transaction: a failure stores nothing for that story and leaves the others intact.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from translate.config import Workflow
from translate.errors import DeskError
from translate.i18n import _
from translate.ingest.decode import IngestError, read_text, refuse_special
from translate.ingest.provenance import check_provenance, lead_as_headline
from translate.ingest.readers import READERS, reader_for
from translate.model import IngestedStory
from translate.textclean import strip_controls

MIN_CHARS_FOR_LANGID = 40
MIN_CONFIDENCE = 0.5
MIN_CONFIDENCE_GUESS = 0.8  # plain text without --lang: take the identified language only when sure


@dataclass
class Ingested:
    path: str
    id: str | None = None
    title: str | None = None
    language: str | None = None
    segments: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    revision: object | None = None  # a translate.revisions.Revision when it updated a story


@dataclass
class IngestReport:
    results: list[Ingested] = field(default_factory=list)

    @property
    def ok(self) -> list[Ingested]:
        return [r for r in self.results if r.error is None]

    @property
    def failed(self) -> list[Ingested]:
        return [r for r in self.results if r.error is not None]


def text_hash(story: IngestedStory) -> str:
    norm = " ".join(unicodedata.normalize("NFC", story.plain_text()).casefold().split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; folders recursively, keeping the files our readers know, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in READERS
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        else:
            files.append(path)
    return files


TEXT_FIELDS = ("title", "dek", "author", "outlet", "url", "dateline", "rights")


def clean_fields(story: IngestedStory) -> int:
    """Remove control characters from every text of a parsed story; how many were removed."""
    removed = 0
    for name in TEXT_FIELDS:
        value = getattr(story, name)
        if isinstance(value, str):
            value, n = strip_controls(value)
            setattr(story, name, value)
            if name not in ("title", "dek", "dateline"):  # those are counted in their units
                removed += n
    for unit in story.units:
        unit.text, n = strip_controls(unit.text)
        removed += n
    return removed


def guess_language(story: IngestedStory, path: Path) -> str:
    """The language of a story that declares none (plain text without --lang), when clear."""
    from translate.ingest.langid import detect, is_language_code

    text = story.plain_text()
    if len(text) >= MIN_CHARS_FOR_LANGID:
        detected, score = detect(text)
        if score >= MIN_CONFIDENCE_GUESS and is_language_code(detected):
            return detected
    raise IngestError(
        _("{path}: missing '{key}' ({where})").format(
            path=path,
            key="language",
            where=_("the first line is the title; give the language with --lang"),
        )
    )


def check_language(story: IngestedStory, path: Path, force: bool) -> None:
    from translate.ingest.langid import detect, is_language_code, language_name

    if not is_language_code(story.language):
        raise IngestError(
            _("{path}: unknown language code '{code}' (use ISO 639-1, e.g. ru, es)").format(
                path=path, code=story.language
            )
        )
    text = story.plain_text()
    if force or len(text) < MIN_CHARS_FOR_LANGID:
        return
    detected, score = detect(text)
    if detected != story.language and score >= MIN_CONFIDENCE:
        raise IngestError(
            _(
                "{path}: declared language '{declared}' ({declared_name}) but the text reads as "
                "'{detected}' ({detected_name}); fix 'language' or use --force"
            ).format(
                path=path,
                declared=story.language,
                declared_name=language_name(story.language),
                detected=detected,
                detected_name=language_name(detected),
            )
        )


def apply_schedule(story: IngestedStory, path: Path, workflow: Workflow) -> None:
    """`priority` and `deadline` from the front matter into the story's own fields (a bare-date
    deadline ends that day in the desk's time zone); a bad value is one line naming the field."""
    from translate.deadlines import ScheduleError, parse_deadline, parse_priority

    for key in ("priority", "deadline"):
        value = story.extra.get(key)
        if value is None or value == "":
            continue
        try:
            if key == "priority":
                story.priority = parse_priority(value)
            else:
                story.deadline = parse_deadline(value, workflow.zone)
        except ScheduleError as exc:
            raise IngestError(
                _("{path}: front matter '{key}': {problem}").format(path=path, key=key, problem=exc)
            ) from None


def parse_file(
    path: Path, workflow: Workflow, defaults: dict, force: bool = False
) -> IngestedStory:
    """Read, parse, check and segment one file (no store access)."""
    from translate.segment import split

    refuse_special(path)  # before anything opens it: a FIFO would block
    reader = reader_for(path)
    if reader is None:
        if path.is_dir():
            raise IngestError(_("{path}: a folder with no stories").format(path=path))
        if not path.exists():
            raise IngestError(_("{path}: no such file or folder").format(path=path))
        raise IngestError(
            _("{path}: unknown file type '{suffix}' (use .md, .html or .txt)").format(
                path=path, suffix=path.suffix
            )
        )
    text, encoding = read_text(path, workflow.max_file_size)
    text, removed = strip_controls(text)
    story = reader(text, path, defaults)
    removed += clean_fields(story)  # YAML escapes ("\x07") can bring more
    if removed:  # recorded in the story's provenance and its ingest event
        story.extra["cleaned_control_characters"] = removed
    if not any(u.kind != "headline" for u in story.units):
        raise IngestError(_("{path}: the story has a headline but no text").format(path=path))
    apply_schedule(story, path, workflow)
    story.source_encoding = encoding
    story.source_sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    story.text_hash = text_hash(story)
    if not story.language:
        story.language = guess_language(story, path)
    if story.source_format == "text":
        warning = lead_as_headline(story, path)
        if warning:
            story.warnings.append(warning)
    check_provenance(story, path)
    check_language(story, path, force)
    for unit in story.units:
        unit.sentences = split(unit.text, story.language)
    return story


def ingest_paths(
    store,
    workflow: Workflow,
    paths: list[Path],
    language: str | None = None,
    outlet: str | None = None,
    force: bool = False,
    user: str | None = None,
    progress=None,
    update: str | None = None,
) -> IngestReport:
    """Ingest files and folders; `progress(total, label)` is a context manager factory whose
    `advance()` is called once per file (the CLI's progress bar or log lines). Needs the batch or
    editor role."""
    from contextlib import nullcontext

    from translate.review.access import require_role

    require_role(workflow, user, "ingest")
    report = IngestReport()
    defaults = {"language": language, "outlet": outlet}
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        report.results.append(
            Ingested(str(path), error=_("{path}: no such file or folder").format(path=path))
        )
    for path in paths:
        if path.is_dir() and not expand([path]):
            report.results.append(
                Ingested(str(path), error=_("{path}: a folder with no stories").format(path=path))
            )
    files = expand([p for p in paths if p.exists()])
    if update is not None and len(files) != 1:
        raise DeskError(
            _("--update {id} takes exactly one story file, not {n}").format(id=update, n=len(files))
        )
    with progress(len(files), _("ingesting")) if progress else nullcontext() as bar:
        for path in files:
            _ingest_one(store, workflow, path, defaults, force, user, report, update)
            if bar is not None:
                bar.advance()
    return report


def store_story(
    store,
    workflow: Workflow,
    story: IngestedStory,
    path: Path,
    user,
    then=None,
    update: str | None = None,
    force: bool = False,
    revised=None,
) -> str:
    """Store the story, in one transaction so two racing ingests of one story cannot both win;
    `then(story_id)` writes more in it.

    A story the desk already has (`update` names it, or the same URL with other text) becomes its
    next source revision (translate/revisions; `revised(Revision)` is told); the same text again
    is refused as a duplicate."""
    from translate.revisions import revise_story

    with store.write():
        if update is not None:
            result = revise_story(store, workflow, update, story, path, user, force)
            if revised is not None:
                revised(result)
            if then is not None and not result.unchanged:
                then(update)
            return update
        duplicate = store.find_duplicate(story.url, story.text_hash)
        if duplicate and duplicate.get("text_hash") != story.text_hash and story.url:
            result = revise_story(store, workflow, duplicate["id"], story, path, user, force)
            if revised is not None:
                revised(result)
            if then is not None:
                then(duplicate["id"])
            return duplicate["id"]
        if duplicate:
            raise IngestError(
                _("{path}: already ingested as '{id}' ({title})").format(
                    path=path, id=duplicate["id"], title=duplicate["title"]
                )
            )
        pair = workflow.pair(story.language)
        story_id = store.add_story(story, user=user, target=pair.target if pair else "en")
        if then is not None:
            then(story_id)
    return story_id


def _ingest_one(
    store, workflow, path: Path, defaults: dict, force: bool, user, report, update=None
) -> None:
    """One file: parsed, checked and segmented, then stored in one transaction (or an error)."""
    result = Ingested(str(path))
    report.results.append(result)

    def revised(revision) -> None:
        result.revision = revision

    try:
        if update is not None:
            store.story(update)  # "no story 'x'; did you mean …" before reading the file
        story = parse_file(path, workflow, defaults, force)
        result.id = store_story(
            store, workflow, story, path, user, update=update, force=force, revised=revised
        )
    except DeskError as exc:
        result.error = exc.message
        return
    result.title, result.language = story.title, story.language
    result.warnings = list(story.warnings)
    result.segments = sum(len(u.sentences) for u in story.units)
