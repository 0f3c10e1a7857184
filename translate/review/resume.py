"""Where a translator left off: the segment they last touched, and the text they were typing.

Drafts are the unsaved text of the edit field (kept on Ctrl-C, on Esc and when an edit is refused
as stale), one small JSON file per user and story under the desk's `.translate/drafts/` folder:

    <desk>/.translate/drafts/<user>/<story>.json   {"<number>": {"text", "base", "event", "seq"}}

They are files, not store rows, on purpose: a draft is nobody's translation yet — not a version,
not an event, not something another person, a check or an export should ever see — and it must
survive the process (Ctrl-C, a closed terminal) without a migration or a write transaction on the
shared store. A draft is dropped once an edit of that segment is saved.

The resume point is the last segment the user touched (an event of theirs in the log: edit,
confirmation, comment, override), or the segment of a draft they typed after that. After a
confirmation the screen had already moved on, so it resumes at the next unconfirmed segment.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from translate.config import Workflow


def drafts_folder(workflow: Workflow) -> Path:
    return workflow.root / ".translate" / "drafts"


class Drafts:
    """The drafts of one user in one story."""

    def __init__(self, folder: Path, user: str, story_id: str):
        self.path = folder / quote(user, safe="") / f"{quote(story_id, safe='')}.json"

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict[str, dict[str, Any]]) -> None:
        if not data:
            self.path.unlink(missing_ok=True)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".draft-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, number: int) -> dict[str, Any] | None:
        entry = self._read().get(str(number))
        return entry if isinstance(entry, dict) and isinstance(entry.get("text"), str) else None

    def put(self, number: int, text: str, base: int | None, event: int | None) -> None:
        """Keep `text` for segment `number`; `base` is the version it was typed over, `event` the
        id of the user's last event when it was typed (to order it against the log)."""
        data = self._read()
        seq = 1 + max((int(e.get("seq") or 0) for e in data.values()), default=0)
        data[str(number)] = {"text": text, "base": base, "event": event or 0, "seq": seq}
        self._write(data)

    def drop(self, number: int) -> None:
        data = self._read()
        if data.pop(str(number), None) is not None:
            self._write(data)

    def numbers(self) -> list[int]:
        return sorted(int(k) for k in self._read() if k.isdigit())

    def latest(self) -> dict[str, Any] | None:
        """The draft typed last, with its segment `number`."""
        entries = [
            {**e, "number": int(k)}
            for k, e in self._read().items()
            if k.isdigit() and isinstance(e, dict)
        ]
        return max(entries, key=lambda e: int(e.get("seq") or 0)) if entries else None


def drafts_for(workflow: Workflow, user: str, story_id: str) -> Drafts:
    return Drafts(drafts_folder(workflow), user, story_id)


def last_event_id(store, story_id: str, user: str) -> int | None:
    touched = store.last_touched_segment(story_id, user)
    return touched["id"] if touched else None


def resume_point(store, story_id: str, user: str, drafts: Drafts | None = None) -> dict[str, Any]:
    """Where `user`'s review of the story opens: {'number', 'reason'} with reason 'draft' (the
    segment of the text they were typing), 'touched' (the last segment they changed, or the next
    unconfirmed one after a confirmation) or 'unconfirmed' (never touched: the first unconfirmed)."""
    touched = store.last_touched_segment(story_id, user)
    draft = drafts.latest() if drafts is not None else None
    if draft is not None and (touched is None or int(draft.get("event") or 0) >= touched["id"]):
        if draft["number"] <= store.segment_count(story_id):
            return {"number": draft["number"], "reason": "draft"}
    left = store.unconfirmed_numbers(story_id)
    if touched is not None and 1 <= touched["number"] <= store.segment_count(story_id):
        number = touched["number"]
        if touched["action"] == "confirm":
            later = [n for n in left if n > number]
            number = later[0] if later else (left[0] if left else number)
        return {"number": number, "reason": "touched"}
    return {"number": left[0] if left else 1, "reason": "unconfirmed"}
