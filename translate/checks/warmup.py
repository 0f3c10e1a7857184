"""Warming up for a job's checks: while an engine translates a job's first wave in other
processes (Apertium), `translate mt` loads here what storing and checking that wave will need, so
the loading overlaps the engine's work instead of following it. Only caches are filled: no
finding depends on it.
"""

from __future__ import annotations

from translate.config import Pair, Workflow

_WARM: set[tuple[str, str]] = set()  # the pairs this process has warmed up

# A sentence with a bit of everything the localize rules and the checks look at (a date, a time,
# money, a percentage, a number, a name, a place), per source language, and an English draft
# of it as an engine leaves it: warming up on it compiles their patterns and loads their data.
_WARM_SAMPLES = {
    "es": (
        "El 12 de octubre de 2012, a las 06.00, Ana Pérez pagó 3.000 dólares (un 11,6 %) "
        "en Madrid, según el Banco Central.",
        "On 12 October of 2012, at 06.00, Ana Pérez paid 3.000 dollars (a 11,6 %) in Madrid, "
        "according to the Central Bank.",
    ),
    "ru": (
        "12 октября 2012 г. в 06.00 Сергей Иванов заплатил 3000 долларов (11,6 %) в Москве, "
        "сообщил Центральный банк.",
        "On 12 October 2012 at 06.00 Sergei Ivanov paid 3000 dollars (11,6 %) in Moscow, "
        "the Central Bank said.",
    ),
}


def warm_up(workflow: Workflow, pair: Pair, style) -> None:
    """Load what storing and checking the first wave needs while the engine translates it in
    other processes, instead of after: the checks' and localize rules' modules, patterns and
    data (babel's month names, currency names, the segmenter's model), and the processes the
    checks talk to (the back-translation pipeline, the morphological analysers), whose start
    costs about as much CPU as translating a hundred sentences. Only caches are filled: no
    finding depends on it. Once per process and pair (a batch worker runs a job per story)."""
    if (pair.source, pair.target) in _WARM:
        return
    _WARM.add((pair.source, pair.target))
    from translate.checks import CheckContext, run_segment_checks
    from translate.localize.dates import month_names

    for lang in (pair.source, pair.target):
        month_names(lang)
    source, draft = _WARM_SAMPLES.get(
        pair.source, ("Ana Pérez, de Madrid.", "Ana Pérez, of Madrid.")
    )
    try:
        from translate.checks.backtranslate import back_translate, reverse_mode, start_analyser

        for lang in (pair.source, pair.target):
            start_analyser(lang)  # the names and untranslated checks ask it
        mode = reverse_mode(pair.source, pair.target)
        if mode is not None and getattr(workflow, "back_translation", True):
            back_translate([draft], mode)  # starts the process's reverse pipeline
        if style is not None:
            from translate.localize import localize_text

            localize_text(source, draft, pair.source, style)
        run_segment_checks(CheckContext(source, draft, pair.source, pair.target))
    except Exception:  # noqa: BLE001 - a warm-up never stops a job; the real checks report
        pass
