"""Confidence: machine segments the engine itself was unsure of, to be looked at first.

`mt.low_confidence` (a warning) marks a segment whose current version is an untouched machine draft
(origin mt, or localize on top of it) or a TM reuse whose confidence is below workflow.yaml's
`checks.low_confidence` (default 0.5). The confidence is stored on the version: argos gives the mean
probability of the tokens it chose (CTranslate2's scores, asked for in the same batched call),
Apertium the share of words it knew (unknown words marked in its output, the marks stripped), a TM
exact match 1.0. The queue counts these findings per story; the review screen can jump to them.
"""

from __future__ import annotations

from translate.checks import CheckContext, Finding, check, context_provider
from translate.i18n import _

MACHINE_ORIGINS = ("mt", "localize", "tm")


@context_provider
def confidence_of(store, workflow, story: dict, segments: list[dict]) -> dict[int, dict]:
    threshold = getattr(workflow, "low_confidence", 0.5)
    return {
        seg["id"]: {"confidence": seg.get("confidence"), "threshold": threshold}
        for seg in segments
        if seg.get("origin") in MACHINE_ORIGINS and seg.get("state", 10) <= 10
    }


@check("mt.low_confidence", severity="warning", on_empty=False)
def low_confidence(ctx: CheckContext):
    """The engine was not confident of this machine translation (below checks.low_confidence)."""
    confidence = ctx.extras.get("confidence")
    threshold = ctx.extras.get("threshold")
    if confidence is None or threshold is None or confidence >= threshold:
        return
    yield Finding(
        "mt.low_confidence",
        _(
            "low-confidence machine translation ({confidence} below {threshold}): read it first"
        ).format(confidence=f"{confidence:.0%}", threshold=f"{threshold:.0%}"),
    )
