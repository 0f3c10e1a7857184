"""English plurals and articles come from inflect once, then from the on-disk cache."""

from __future__ import annotations

import json

from translate.glossary import morph


def test_inflections_are_computed_once_then_read_from_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    calls = []

    def plural(phrase: str) -> str:
        calls.append(phrase)
        return morph._plural(phrase)

    first = morph._InflectionCache()
    assert first.get("plural", "orchid", plural) == "orchids"
    assert first.get("plural", "nursery", plural) == "nurseries"
    assert first.get("plural", "orchid", plural) == "orchids"
    assert calls == ["orchid", "nursery"]
    path = tmp_path / "cache" / "translate" / "english-inflections.json"
    assert json.loads(path.read_text("utf-8")) == {
        "plural": {"orchid": "orchids", "nursery": "nurseries"}
    }

    def must_not_run(phrase: str) -> str:
        raise AssertionError(f"inflect asked again for {phrase}")

    again = morph._InflectionCache()  # a new process: the answers come from the file
    assert again.get("plural", "nursery", must_not_run) == "nurseries"


def test_a_broken_cache_file_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "cache" / "translate" / "english-inflections.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json", "utf-8")
    cache = morph._InflectionCache()
    assert cache.get("article", "orchid", morph._article) == "an"
    assert json.loads(path.read_text("utf-8")) == {"article": {"orchid": "an"}}
