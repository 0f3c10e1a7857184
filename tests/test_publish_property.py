"""Property: unapproved text is never published.

Hypothesis drives random sequences of claims, edits, confirmations, submissions, approvals,
rejections and publishes through the review library and `publish_story`. A model kept beside the
store (not read from it) knows the text as edited and the text as it stood at the last approval.
Every publish that succeeds must happen while the model says "approved", and every published file
must hold exactly the approved text of its version; every other publish must write nothing.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from publish_support import desk_in, story

from translate.errors import DeskError
from translate.publish import publish_story
from translate.publish.render_html import esc
from translate.publish.render_md import md_escape

USERS = ("ana", "eve", "bob")
TEXT = st.text(alphabet="ab <>&\"'é\u202e", min_size=1, max_size=6)
# A "cycle" is the usual path in one step (claim, confirm all, submit by one person, approve by
# another), so that random sequences reach approval and publication often.
CYCLE = st.tuples(st.just("cycle"), st.sampled_from(USERS), st.sampled_from(USERS))
# A "fix" is an editor's correction reviewed by the other editor (four eyes).
FIX = st.tuples(st.just("fix"), st.sampled_from(("eve", "bob")), st.integers(1, 3), TEXT)
PUBLISH = st.tuples(st.just("publish"), st.sampled_from(USERS))
OPS = st.one_of(
    CYCLE,
    FIX,
    PUBLISH,
    CYCLE,
    PUBLISH,
    st.tuples(st.just("claim"), st.sampled_from(USERS)),
    st.tuples(st.just("edit"), st.sampled_from(USERS), st.integers(1, 3), TEXT),
    st.tuples(st.just("confirm_all"), st.sampled_from(USERS)),
    st.tuples(st.just("submit"), st.sampled_from(USERS)),
    st.tuples(st.just("approve"), st.sampled_from(USERS)),
    st.tuples(st.just("reject"), st.sampled_from(USERS)),
    st.tuples(st.just("publish"), st.sampled_from(USERS)),
)


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.exists() else {}


def expected_units(texts: dict[int, str]) -> tuple[str, str]:
    return texts[1], f"{texts[2]} {texts[3]}"


def check_published(out: Path, published: dict[int, dict[int, str]]) -> None:
    """Every file on disk holds the approved text of its version, and nothing else exists."""
    versions = {}
    for path in out.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        versions[data["version"]] = data
        headline, paragraph = expected_units(published[data["version"]])
        assert data["headline"] == headline
        assert data["units"] == [{"kind": "paragraph", "text": paragraph}]
        html = path.with_suffix(".html").read_text(encoding="utf-8")
        assert f"<h1>{esc(headline)}</h1>" in html and f"<p>{esc(paragraph)}</p>" in html
        md = path.with_suffix(".md").read_text(encoding="utf-8")
        assert f"\n# {md_escape(headline)}\n" in md and f"\n{md_escape(paragraph)}\n" in md
    assert sorted(versions) == sorted(published)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(OPS, min_size=1, max_size=25))
# a correction after publication: v2 after a second review, v1 kept
@example(
    [("cycle", "ana", "eve"), ("publish", "eve"), ("edit", "eve", 3, "Three."),
     ("publish", "eve"), ("cycle", "eve", "bob"), ("publish", "bob"), ("publish", "ana")]
)  # fmt: skip
# an edit after approval withdraws it; a rejection too
@example([("cycle", "ana", "eve"), ("edit", "bob", 2, "<b>x</b>"), ("publish", "eve")])
@example([("cycle", "ana", "eve"), ("reject", "bob"), ("publish", "eve")])
def test_unapproved_text_is_never_published(ops):
    from translate.review import approve, claim, confirm_all, edit_segment, reject, submit

    os.environ["TRANSLATE_NOW"] = "2012-10-15T09:00:00+00:00"
    with tempfile.TemporaryDirectory() as tmp:
        desk = desk_in(Path(tmp) / "desk")
        store, workflow = desk.store, desk.workflow
        try:
            sid = story(store, headline="Head", sentences=["One.", "Two."])
            current = {1: "Head", 2: "One.", 3: "Two."}
            approved: dict[int, str] | None = None  # the text as of the standing approval
            published: dict[int, dict[int, str]] = {}  # version -> text
            last_published: dict[int, str] | None = None
            steps = []
            for op in ops:
                if op[0] == "cycle":
                    steps += [("claim", op[1]), ("confirm_all", op[1]), ("submit", op[1])]
                    steps += [("approve", op[2])]
                elif op[0] == "fix":
                    editor, other = op[1], "bob" if op[1] == "eve" else "eve"
                    steps += [("edit", editor, op[2], op[3]), ("claim", editor)]
                    steps += [("confirm_all", editor), ("submit", editor), ("approve", other)]
                else:
                    steps.append(op)
            for op in steps:
                kind, user = op[0], op[1]
                before = files_in(workflow.output)
                try:
                    if kind == "claim":
                        claim(store, workflow, sid, user)
                    elif kind == "edit":
                        _, _, number, text = op
                        edit_segment(store, workflow, sid, number, text, user)
                        if current[number] != text.strip():
                            current[number] = text.strip()
                            approved = None  # any edit withdraws an approval
                    elif kind == "confirm_all":
                        confirm_all(store, workflow, sid, user)
                    elif kind == "submit":
                        submit(store, workflow, sid, user, override="property test")
                    elif kind == "approve":
                        if approve(store, workflow, sid, user)["approved"]:
                            approved = dict(current)
                    elif kind == "reject":
                        reject(store, workflow, sid, user, note="again")
                        approved = None
                    else:
                        result = publish_story(store, workflow, sid, user=user)
                        assert approved is not None, "published without a standing approval"
                        if result.unchanged:
                            assert approved == last_published
                            assert files_in(workflow.output) == before
                        else:
                            published[result.version] = dict(approved)
                            last_published = dict(approved)
                except DeskError:
                    assert files_in(workflow.output) == before  # a refused step writes nothing
                    continue
                if kind == "publish" and not result.unchanged:
                    continue
                if kind != "publish":
                    assert files_in(workflow.output) == before  # only publish writes files
            check_published(workflow.output, published)
        finally:
            store.close()
            os.environ.pop("TRANSLATE_NOW", None)
