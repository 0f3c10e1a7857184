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


@check("glossary.unmatched", severity="warning", family="glossary")
def unmatched(ctx: CheckContext) -> Iterator[Finding]:
    """A source name spelt almost like a glossary term matched nothing: a term that should have."""
    verifier = ctx.extras.get("glossary")
    matcher = getattr(verifier, "matcher", None)
    if matcher is None:
        return
    from translate.i18n import _

    for start, end, index in matcher.near_misses(ctx.source):
        yield Finding(
            "glossary.unmatched",
            _(
                "'{text}' looks like the glossary term '{term}' but did not match it: check the "
                "spelling, or add it to the glossary"
            ).format(text=ctx.source[start:end], term=verifier.glossary.entries[index].source),
        )


@check("glossary.keep", severity="blocking", family="glossary")
def keep(ctx: CheckContext) -> Iterator[Finding]:
    """A term the glossary says to keep as it is was changed or dropped."""
    yield from _findings(ctx, "glossary.keep")
