"""Glossary checks: approved terms rendered, forbidden wordings absent, keep terms intact.

The story's pair glossary is loaded (cached until its file changes) by a context provider, which
puts a verifier into each segment's `extras["glossary"]`; the checks read it. Spans are in the
translation. See translate/glossary/verify.py for the rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from translate.checks import CheckContext, Finding, check, context_provider


def verifier_for_pair(workflow, source: str, target: str):
    """The pair's glossary verifier, or None when the pair has no (or an empty) glossary."""
    from translate.config import Pair
    from translate.glossary import glossary_path, loaded
    from translate.glossary.verify import verifier_for

    pair = workflow.pair(source, target) or Pair(source, target, [], None)
    glossary, matcher = loaded(glossary_path(workflow, pair), pair.source, pair.target)
    if not glossary.entries:
        return None
    return verifier_for(glossary, matcher)


@context_provider
def glossary_context(store, workflow, story: dict, segments: list[dict]) -> dict[int, dict]:
    verifier = verifier_for_pair(workflow, story["language"], story.get("target_language") or "en")
    if verifier is None:
        return {}
    return {seg["id"]: {"glossary": verifier} for seg in segments}


def _findings(ctx: CheckContext, code: str) -> Iterator[Finding]:
    verifier = ctx.extras.get("glossary")
    if verifier is None:
        return
    for issue in verifier.issues(ctx.source, ctx.target):
        if issue.code == code:
            yield Finding(code, issue.message, None, issue.start, issue.end)


@check("glossary.missing", severity="blocking", family="glossary")
def missing(ctx: CheckContext) -> Iterator[Finding]:
    """A glossary term of the source is not translated with its approved target term."""
    yield from _findings(ctx, "glossary.missing")


@check("glossary.forbidden", severity="blocking", family="glossary")
def forbidden(ctx: CheckContext) -> Iterator[Finding]:
    """The translation uses a wording the glossary forbids."""
    yield from _findings(ctx, "glossary.forbidden")


@check("glossary.keep", severity="blocking", family="glossary")
def keep(ctx: CheckContext) -> Iterator[Finding]:
    """A term the glossary says to keep as it is was changed or dropped."""
    yield from _findings(ctx, "glossary.keep")
