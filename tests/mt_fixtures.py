"""Fixtures for the MT tests: the offline TEST PACKAGE (not a translation model) and test engines.

Import the fixtures you use into a test module: `from mt_fixtures import copy_package, ...`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def sp_model() -> bytes:
    from argos_package import train_sentencepiece

    return train_sentencepiece()


@pytest.fixture(scope="session")
def package_factory(tmp_path_factory, sp_model):
    """build(from_code, to_code, version=..., target_prefix=...) -> path of a TEST PACKAGE, cached."""
    from argos_package import build_package

    made: dict[tuple, Path] = {}
    root = tmp_path_factory.mktemp("argos-test-packages")

    def build(from_code="ru", to_code="en", version="1.0", target_prefix=None) -> Path:
        key = (from_code, to_code, version, target_prefix)
        if key not in made:
            out = root / f"{len(made)}"
            made[key] = build_package(
                out, from_code, to_code, "copy", version, sp_model, target_prefix
            )
        return made[key]

    return build


@pytest.fixture(scope="session")
def copy_package(package_factory) -> Path:
    """ru→en copy-model TEST PACKAGE (.argosmodel): returns its SentencePiece-normalised input."""
    return package_factory("ru", "en")


@pytest.fixture
def packages_dir() -> Path:
    return Path(os.environ["ARGOS_PACKAGES_DIR"])


@pytest.fixture
def installed_copy(copy_package, packages_dir):
    """The ru→en TEST PACKAGE installed with argostranslate's real API into the tmp folder."""
    from translate.engines.models import install_file

    return install_file(copy_package, packages_dir)


@pytest.fixture
def normalise(sp_model):
    """What the copy model gives back for a text: SentencePiece's normalisation of it."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    return lambda text: sp.decode(sp.encode(text.replace("\n", " "))).strip()


@pytest.fixture
def plugins(tmp_path, monkeypatch):
    """Register tests/engine_plugins.py's engines through a real entry point (a temp dist-info)."""
    import engine_plugins

    folder = tmp_path / "site"
    engine_plugins.install_plugins(folder)
    monkeypatch.syspath_prepend(str(folder))
    if str(TESTS) not in sys.path:
        monkeypatch.syspath_prepend(str(TESTS))
    for cls in (engine_plugins.EchoEngine, engine_plugins.FlakyEngine, engine_plugins.LossyEngine):
        monkeypatch.setattr(cls, "calls", [])
    monkeypatch.setattr(engine_plugins.EchoEngine, "during", None)
    monkeypatch.setattr(engine_plugins.EchoEngine, "version", "1")
    monkeypatch.setattr(engine_plugins.FlakyEngine, "fail_after", None)
    monkeypatch.setattr(engine_plugins.FlakyEngine, "interrupt", False)
    monkeypatch.setattr(engine_plugins.FlakyEngine, "done", 0)
    return engine_plugins
