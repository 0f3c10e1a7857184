"""The review workflow's rules, with no terminal code: the scriptable commands and the interactive
review screen both call these functions, so both obey the same rules.

- access:   identity, roles and pairs, claim leases, who may change a story's segments
- claims:   claim / release / reassign, and the queue of what a person can work on
- schedule: priority and deadline (editors)
- segments: edit (optimistic concurrency), confirm, comment
- resume:   where a translator left off, and their unsaved drafts
- gate:     submit, approve (four-eyes, N approvals), reject

Every change and its events-log entry share one IMMEDIATE transaction (`store.write()`), so racing
processes serialise on the read-check-write. Identity is asserted, not authenticated.
"""

from __future__ import annotations

from translate.review.access import (
    ClaimError,
    EditConflict,
    format_time,
    has_role,
    lease_active,
    member_pairs,
    require_member,
    story_pair,
)
from translate.review.claims import (
    DEFAULT_LIMIT,
    QueuePage,
    claim,
    claim_next,
    queue,
    queue_page,
    reassign,
    release,
    resume_number,
)
from translate.review.gate import approve, reject, submit
from translate.review.schedule import prioritize
from translate.review.segments import (
    BlockingFindings,
    add_comment,
    confirm_all,
    confirm_segment,
    edit_segment,
    machine_segment,
    segment_blocking,
)

__all__ = [
    "DEFAULT_LIMIT",
    "QueuePage",
    "BlockingFindings",
    "ClaimError",
    "EditConflict",
    "add_comment",
    "approve",
    "claim",
    "claim_next",
    "confirm_all",
    "confirm_segment",
    "edit_segment",
    "format_time",
    "has_role",
    "lease_active",
    "machine_segment",
    "member_pairs",
    "prioritize",
    "queue",
    "queue_page",
    "reassign",
    "reject",
    "release",
    "require_member",
    "resume_number",
    "segment_blocking",
    "story_pair",
    "submit",
]
