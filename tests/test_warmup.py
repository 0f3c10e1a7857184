"""The checks' warm-up that `translate mt` runs while an engine translates the first wave."""

from __future__ import annotations

from translate.config import Pair


class _Workflow:
    back_translation = True


def test_warm_up_starts_the_checks_processes_and_fills_caches_once():
    from translate.checks import backtranslate, warmup
    from translate.localize.dates import month_names

    for engine in backtranslate._ENGINE:  # what earlier tests started: gone, so it must start again
        engine.close()
    backtranslate._ENGINE.clear()
    for proc in backtranslate._LT_PROC.values():
        proc.close()
    backtranslate._LT_PROC.clear()
    backtranslate.analyser.cache_clear()  # as a fresh process finds them
    backtranslate.apertium_modes.cache_clear()
    warmup._WARM.discard(("es", "en"))
    month_names.cache_clear()
    warmup.warm_up(_Workflow(), Pair("es", "en", ["apertium"], None), None)

    assert month_names.cache_info().currsize == 2  # es and en
    engine = backtranslate._ENGINE[0]  # the process's back-translation pipeline, running
    assert [s.pipeline.alive() for s in engine._running.values()] == [True]
    analysers = list(backtranslate._LT_PROC.values())  # the analysers' lt-proc, running
    assert analysers and all(a._pipeline is not None and a._pipeline.alive() for a in analysers)
    assert ("es", "en") in warmup._WARM

    month_names.cache_clear()
    warmup.warm_up(_Workflow(), Pair("es", "en", ["apertium"], None), None)
    assert month_names.cache_info().currsize == 0  # once per process and pair


def test_warm_up_of_a_pair_without_samples_or_apertium_does_not_fail():
    from translate.checks import warmup

    warmup._WARM.discard(("fr", "de"))
    warmup.warm_up(_Workflow(), Pair("fr", "de", ["argos"], None), None)
    assert ("fr", "de") in warmup._WARM
