"""Helpers for the web front's tests: a desk with passwords and a story waiting for an editor
(a translator's edit to diff against the machine draft, a blocking finding overridden with a
reason), all built through the library, as the CLI would."""

from __future__ import annotations

import re

from review_support import make_story

from translate import review
from translate.auth import set_password

PASSWORDS = {"ana": "ana-secret-1", "eve": "eve-secret-1", "olga": "olga-secret-1"}
EDITED = "The minister arrived in the capital early in the morning."
OVERRIDE = "the figure is in the source"


_HASHES: dict[str, str] = {}


def with_passwords(d) -> None:
    """The passwords of PASSWORDS: set through the library once, then the same argon2id hashes
    copied into each new desk (hashing is deliberately slow)."""
    for name, password in PASSWORDS.items():
        if name not in _HASHES:
            set_password(d.store, d.workflow, name, password, name)
            _HASHES[name] = d.store.password_hash(name)
        else:
            with d.store.write():
                d.store.set_password_hash(name, _HASHES[name])


def submitted_story(d, title: str | None = None) -> str:
    """A story ana edited (segment 2), confirmed and submitted with segment 3's blocking finding
    overridden."""
    sid = make_story(d.store, title=title) if title else make_story(d.store)
    review.claim(d.store, d.workflow, sid, "ana")
    review.edit_segment(d.store, d.workflow, sid, 2, EDITED, "ana")
    review.confirm_all(d.store, d.workflow, sid, "ana")
    seg = d.store.segment(sid, 3)
    d.store.replace_findings(
        sid,
        seg["id"],
        seg["version_id"],
        [
            {
                "code": "numbers.missing",
                "severity": "blocking",
                "message": "a number of the source is missing",
                "start": 0,
                "end": 3,
            }
        ],
    )
    review.submit(d.store, d.workflow, sid, "ana", override=OVERRIDE)
    return sid


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def sign_in(client, name: str, password: str | None = None):
    page = client.get("/signin")
    return client.post(
        "/signin",
        data={
            "csrf": csrf_of(page.text),
            "name": name,
            "password": password or PASSWORDS[name],
        },
        follow_redirects=False,
    )
