"""Engines: the plugin registry, the argos engine on a real (TEST) package, Apertium, model management.

The argos package used here is a TEST PACKAGE built offline by tests/argos_package.py — a copy
model, not a translation model: it returns its SentencePiece-normalised input.
"""

from __future__ import annotations

import http.server
import json
import shutil
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import build_cli
from translate.engines import models, registry
from translate.engines.apertium import ApertiumEngine, mode_pair
from translate.engines.argos import ArgosEngine
from translate.engines.base import Engine, EngineError, parse_options
from translate.errors import DeskError, UsageError

pytest_plugins = ["mt_fixtures"]  # the TEST PACKAGE and test-engine fixtures


def run(*args: str):
    result = CliRunner().invoke(build_cli(), list(args), catch_exceptions=False)
    return result


def cli(*args: str):
    """Run through translate.cli.run so DeskError becomes its one line and exit code."""
    from translate.cli import run as run_cli

    runner = CliRunner()
    with runner.isolation() as (out, err, *_rest):
        code = run_cli(list(args))
        return code, out.getvalue().decode(), err.getvalue().decode()


# ---------------------------------------------------------------- registry and plugins


def test_builtin_engines_are_registered_through_entry_points():
    points = registry.engine_entry_points()
    assert points["argos"].value == "translate.engines.argos:ArgosEngine"
    assert points["apertium"].value == "translate.engines.apertium:ApertiumEngine"
    assert registry.engine_class("argos") is ArgosEngine


def test_plugin_engine_from_a_dist_info_entry_point(plugins):
    assert registry.engine_class("echo") is plugins.EchoEngine
    engine = registry.create("echo", {"beam_size": 2, "inter_threads": 3})
    assert engine.options.beam_size == 2  # shared mt: settings it declares; others ignored
    code, out, err = cli("engines", "--json")
    assert code == 0, err
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["echo"]["available"] is True
    assert rows["echo"]["pairs"] == ["es-en", "ru-en"]
    assert rows["echo"]["capabilities"]["scores"] is True
    assert rows["echo"]["source"] == "engine_plugins:EchoEngine"


def test_broken_plugin_is_listed_as_unavailable_not_fatal(plugins):
    code, out, err = cli("engines", "--json")
    assert code == 0
    broken = {r["name"]: r for r in json.loads(out)}["broken"]
    assert broken["available"] is False
    assert broken["reason"] == (
        "engine 'broken' could not be loaded from engine_plugins_missing_module:Nothing: "
        "No module named 'engine_plugins_missing_module'"
    )
    with pytest.raises(EngineError):
        registry.create("broken")


def test_unknown_engine_is_a_usage_error():
    with pytest.raises(UsageError) as info:
        registry.engine_class("deepl")
    assert info.value.message == "unknown engine 'deepl' (installed: apertium, argos)"


def test_an_engine_gets_shared_settings_and_its_own_mt_engines_mapping():
    class House(Engine):
        name = "house"

        @dataclass
        class Options:
            beam_size: int = 4
            endpoint: str = "http://mt.internal"

    settings = {
        "beam_size": 2,
        "inter_threads": 2,
        "engines": {"house": {"endpoint": "http://mt:8080"}, "argos": {"beam_size": 8}},
    }
    options = House.options_from(settings, "house")
    assert options == {"beam_size": 2, "endpoint": "http://mt:8080"}
    assert House(options).options.endpoint == "http://mt:8080"
    with pytest.raises(DeskError) as info:
        House(House.options_from({"engines": {"house": {"endpoint": 1}}}, "house"))
    assert info.value.message == "engine 'house': option 'endpoint' must be str, not 1"
    with pytest.raises(DeskError) as info:
        House(House.options_from({"engines": {"house": {"endpont": "x"}}}, "house"))
    assert (
        info.value.message
        == "engine 'house': unknown option 'endpont' (known: beam_size, endpoint)"
    )


def test_engine_options_in_workflow_yaml_must_be_mappings(tmp_path):
    from translate.config import WorkflowError, load_workflow

    path = tmp_path / "workflow.yaml"
    path.write_text("mt:\n  engines:\n    house:\n      endpoint: http://mt\n", "utf-8")
    assert load_workflow(path).mt_options["engines"]["house"]["endpoint"] == "http://mt"
    path.write_text("mt:\n  engines:\n    house: fast\n", "utf-8")
    with pytest.raises(WorkflowError) as info:
        load_workflow(path)
    assert info.value.message == (
        f"{path}:3: 'mt.engines.house' must be a mapping of option: value"
    )


def test_engines_table_lists_availability_and_pairs(installed_copy):
    code, out, err = cli("engines")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["engine", "available", "pairs", "notes"]
    argos = next(line for line in lines if line.startswith("argos"))
    assert argos.split()[:3] == ["argos", "yes", "ru-en"]


def test_typed_options_refuse_unknown_keys_and_wrong_types():
    @dataclass
    class Options:
        beam_size: int = 4
        ratio: float = 2.0
        name: str | None = None

    assert parse_options("x", Options, {"ratio": 3}).ratio == 3
    with pytest.raises(DeskError) as info:
        parse_options("x", Options, {"beam": 2})
    assert info.value.message == "engine 'x': unknown option 'beam' (known: beam_size, ratio, name)"
    with pytest.raises(DeskError) as info:
        parse_options("x", Options, {"beam_size": "4"})
    assert info.value.message == "engine 'x': option 'beam_size' must be int, not '4'"
    with pytest.raises(DeskError):
        parse_options("x", Options, {"beam_size": True})
    with pytest.raises(EngineError) as info:
        ArgosEngine({"max_batch_size": 0})
    assert info.value.message == "engine 'argos': option 'max_batch_size' must be at least 1"


def test_base_engine_defaults():
    engine = Engine()
    assert engine.availability().ok and engine.pairs() == [] and not engine.serves("ru", "en")
    with pytest.raises(NotImplementedError):
        engine.translate_batch(["a"], "ru", "en")


# ---------------------------------------------------------------- argos on the TEST PACKAGE


def test_argos_engine_translates_in_sorted_batches_keeping_order(installed_copy, normalise):
    texts = [("слово " * n).strip() + f" {n}." for n in (9, 1, 30, 4, 17, 2, 12, 6, 3)]
    texts += ["Las orquídeas   de Santa Rita… «__T1__»", "", "Hello\nworld"]
    done = []
    engine = ArgosEngine({"max_batch_size": 2, "inter_threads": 2})
    assert engine.pairs() == [("ru", "en")]
    out = engine.translate_batch(texts, "ru", "en", progress=done.append)
    assert [t.text for t in out] == [normalise(t) for t in texts]
    assert out[9].text == "Las orquídeas de Santa Rita... «__T1__»"
    assert out[11].text == "Hello world"
    assert out[10].text == "" and out[10].score is None
    assert {(t.engine, t.model, t.model_version) for t in out} == {
        ("argos", "translate-ru_en", "1.0")
    }
    assert isinstance(out[0].score, float)
    assert sum(done) == 11  # the empty sentence is not sent to the model
    engine.close()


def test_argos_target_prefix_is_forced_and_stripped(package_factory, packages_dir, sp_model):
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    prefix = sp.id_to_piece(300)  # a piece of the test vocabulary stands in for '__en__'
    models.install_file(package_factory("ru", "en", "2.0", target_prefix=prefix), packages_dir)
    engine = ArgosEngine()
    assert engine.package_for("ru", "en").target_prefix == prefix
    text = "Пакистан пытается сблизиться с Россией."
    out = engine.translate_batch([text], "ru", "en")[0]
    # The copy model writes the prefix where the first piece would go: the rest is copied after it.
    assert out.text == sp.decode(sp.encode(text, out_type=str)[1:]).strip()
    assert prefix.strip("▁") not in out.text.split()[:1]


def test_argos_corrupt_model_gives_one_clear_line(installed_copy):
    (installed_copy.path / "model" / "model.bin").write_bytes(b"not a model")
    with pytest.raises(EngineError) as info:
        ArgosEngine().translate_batch(["a"], "ru", "en")
    message = info.value.message
    assert message.startswith(f"argos package translate-ru_en 1.0 at {installed_copy.path} cannot")
    assert message.endswith("reinstall it with 'translate models install --file PATH.argosmodel'")
    assert "\n" not in message


def test_argos_missing_model_file(installed_copy):
    (installed_copy.path / "model" / "model.bin").unlink()
    with pytest.raises(EngineError) as info:
        ArgosEngine().translate_batch(["a"], "ru", "en")
    assert info.value.message == (
        f"argos package translate-ru_en 1.0 at {installed_copy.path} has no model/model.bin; "
        "reinstall it with 'translate models install --file PATH.argosmodel'"
    )


def test_argos_package_without_sentencepiece_falls_back_with_a_warning(installed_copy, monkeypatch):
    (installed_copy.path / "sentencepiece.model").rename(installed_copy.path / "bpe.model")
    from argostranslate import translate as argos_translate

    class Hypothesis:
        def __init__(self, value):
            self.value, self.score = value, -1.0

    class FakeTranslation:
        def hypotheses(self, text, num_hypotheses=1):
            return [Hypothesis(text.upper())]

    asked = []
    monkeypatch.setattr(
        argos_translate,
        "get_translation_from_codes",
        lambda s, t: asked.append((s, t)) or FakeTranslation(),
    )
    engine = ArgosEngine()
    notes = []
    engine.notify = notes.append
    out = engine.translate_batch(["абв", "где"], "ru", "en")
    assert [t.text for t in out] == ["АБВ", "ГДЕ"] and asked == [("ru", "en")]
    assert notes == [
        "warning: argos package translate-ru_en 1.0 has no sentencepiece.model; using "
        "argostranslate's own path (slow, and its sentence splitter may need the network)"
    ]


# ---------------------------------------------------------------- Apertium (real binary)


def test_apertium_pairs_map_iso_codes():
    assert mode_pair("spa-eng") == ("es", "en")
    assert mode_pair("spa-eng_US") is None and mode_pair("eng-spa-anmor") is None
    engine = ApertiumEngine()
    assert engine.availability().ok
    assert ("es", "en") in engine.pairs() and ("en", "es") in engine.pairs()
    assert engine.model_for("es", "en").name == "spa-eng"
    assert engine.model_for("ru", "en").name is None


def test_apertium_translates_spanish_line_aligned():
    texts = [
        "Las orquídeas de Santa Rita han atraído a quienes migraron de la zona.",
        "",
        "El precio del café cayó un 11,6 % el año pasado.",
        "¿Quién pagará los costos\ndel transporte?",
        "__T1__ vende flores en San Cristóbal.",
    ]
    out = ApertiumEngine().translate_batch(texts, "es", "en")
    assert [t.text for t in out] == [
        "The orchids of Santa Rita have attracted to those who migrated of the zone.",
        "",
        "The price of the coffee fell a 11,6 % the past year.",
        "Who will pay the costs of the transport?",
        "__T1__ sells flowers in Saint Cristóbal.",
    ]
    assert {(t.engine, t.model) for t in out} == {("apertium", "spa-eng")}


def test_apertium_keeps_no_capital_after_a_name_opening_the_sentence():
    # Apertium itself gives "Mapastepec Receives …", "ZQX1 Also went ." (a capital from its
    # sentence-start rule on the word after an unknown one); weekdays keep theirs
    texts = [
        "Mapastepec recibe turistas.",
        "ZQX1 también se fue.",
        "«ZQX1 pasó casi una década lejos», dijo.",
        "ZQX1 lunes llegó.",
        "ZQX1, ZQX2 y ZQX3 son lugares.",
    ]
    out = ApertiumEngine().translate_batch(texts, "es", "en")
    assert [t.text for t in out] == [
        "Mapastepec receives tourists.",
        "ZQX1 also went .",
        "«ZQX1 spent almost a decade far», said.",
        "ZQX1 Monday arrived.",
        "ZQX1, ZQX2 and ZQX3 are places.",
    ]


def test_apertium_missing_pair_and_missing_binary():
    with pytest.raises(EngineError) as info:
        ApertiumEngine().translate_batch(["привет"], "ru", "en")
    assert info.value.message.startswith("apertium has no ru-en pair here (installed: ")
    engine = ApertiumEngine({"binary": "apertium-not-installed"})
    assert engine.availability().reason == (
        "'apertium-not-installed' is not installed "
        "(Debian: apt-get install apertium apertium-eng-spa)"
    )
    assert engine.pairs() == []
    with pytest.raises(EngineError):
        engine.translate_batch(["hola"], "es", "en")


# ---------------------------------------------------------------- models list/install/remove


def test_models_install_file_list_and_remove(copy_package, packages_dir):
    code, out, err = cli("models", "install", "--file", str(copy_package))
    assert (code, err) == (0, "")
    assert out == f"installed translate-ru_en 1.0 (ru-en) in {packages_dir}\n"
    code, out, err = cli("models", "list", "--json")
    [row] = json.loads(out)
    assert (row["pair"], row["name"], row["version"], row["tokenizer"]) == (
        "ru-en",
        "translate-ru_en",
        "1.0",
        "sentencepiece",
    )
    assert "TEST PACKAGE" in row["description"]
    code, out, err = cli("models", "list")
    assert out.splitlines()[1].split()[:4] == ["ru-en", "translate-ru_en", "1.0", "sentencepiece"]
    code, out, err = cli("models", "remove", "ru", "en")
    assert (code, out) == (0, f"removed translate-ru_en 1.0 (ru-en) from {packages_dir}\n")
    assert list(packages_dir.iterdir()) == []
    code, out, err = cli("models", "remove", "ru", "en")
    assert (code, err) == (1, f"translate: error: no argos package for ru-en in {packages_dir}\n")


def test_install_replaces_the_older_package_of_a_pair(package_factory, packages_dir):
    models.install_file(package_factory("ru", "en", "1.0"), packages_dir)
    models.install_file(package_factory("ru", "en", "1.1"), packages_dir)
    found, problems = models.installed(packages_dir)
    assert [(p.name, p.version) for p in found] == [("translate-ru_en", "1.1")] and not problems


def _zip(path: Path, files: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


GOOD_META = json.dumps({"package_version": "1", "from_code": "ru", "to_code": "en"})


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        (None, "not a zip archive"),
        (
            {"metadata.json": GOOD_META, "model/model.bin": "x", "sentencepiece.model": "x"},
            "the archive must hold exactly one top-level folder (found: metadata.json, model, "
            "sentencepiece.model)",
        ),
        ({"p/model/model.bin": "x", "p/sentencepiece.model": "x"}, "p/metadata.json is missing"),
        (
            {"p/metadata.json": GOOD_META, "p/sentencepiece.model": "x"},
            "p/model/model.bin is missing",
        ),
        (
            {"p/metadata.json": GOOD_META, "p/model/model.bin": "x"},
            "p/sentencepiece.model is missing",
        ),
        (
            {"p/metadata.json": "{", "p/model/model.bin": "x", "p/sentencepiece.model": "x"},
            "metadata.json is not valid JSON (Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1))",
        ),
        (
            {
                "p/metadata.json": json.dumps({"from_code": "ru"}),
                "p/model/model.bin": "x",
                "p/sentencepiece.model": "x",
            },
            "metadata.json: 'to_code' must be a language code",
        ),
        (
            {"p/../evil": "x", "p/metadata.json": GOOD_META},
            "unsafe path 'p/../evil' in the archive",
        ),
    ],
)
def test_install_file_validates_the_archive(tmp_path, packages_dir, files, reason):
    path = tmp_path / "bad.argosmodel"
    if files is None:
        path.write_text("plain text")
    else:
        _zip(path, files)
    code, out, err = cli("models", "install", "--file", str(path))
    assert (code, out) == (1, "")
    assert err == f"translate: error: {path}: not a usable argos package: {reason}\n"
    assert not packages_dir.exists() or list(packages_dir.iterdir()) == []


def test_install_file_refuses_a_damaged_deflate_stream_in_one_line(tmp_path, packages_dir):
    path = tmp_path / "damaged.argosmodel"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("p/metadata.json", GOOD_META)
        zf.writestr("p/sentencepiece.model", "x")
        zf.writestr("p/model/model.bin", b"x" * 5000)
    raw = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo("p/model/model.bin")
    raw[info.header_offset + 30 + len(info.filename)] = 0xFF  # reserved deflate block type
    path.write_bytes(bytes(raw))
    code, out, err = cli("models", "install", "--file", str(path))
    assert (code, out) == (1, "")
    assert err == (
        f"translate: error: {path}: not a usable argos package: "
        "p/model/model.bin is damaged (CRC error)\n"
    )
    assert not packages_dir.exists() or list(packages_dir.iterdir()) == []


def test_models_install_offline_says_use_file_in_one_line():
    code, out, err = cli("models", "install", "ru", "en")
    assert code == 1
    assert err == (
        "translate: error: cannot reach the argos package index http://127.0.0.1:9/index.json "
        "([Errno 111] Connection refused); offline, install a package file with "
        "'translate models install --file PATH.argosmodel'\n"
    )
    code, out, err = cli("models", "list", "--available")
    assert code == 1 and err.startswith("translate: error: cannot reach the argos package index")


def test_models_install_usage_errors(copy_package):
    assert cli("models", "install")[0] == 2
    code, out, err = cli("models", "install", "ru", "en", "--file", str(copy_package))
    assert code == 2
    assert err == "translate: error: give either SOURCE TARGET or --file, not both\n"


@pytest.fixture
def local_index(tmp_path, monkeypatch, package_factory):
    """An argos index and package served from 127.0.0.1 (loopback only: no network)."""
    served = tmp_path / "served"
    served.mkdir()
    shutil.copy(package_factory("ru", "en", "1.2"), served / "ru_en.argosmodel")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(served), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    index = [
        {
            "package_version": "1.2",
            "argos_version": "1.9.0",
            "from_code": "ru",
            "from_name": "Russian",
            "to_code": "en",
            "to_name": "English",
            "links": [base + "ru_en.argosmodel"],
        },
        {"package_version": "1.0", "from_code": "de", "to_code": "en", "links": []},
    ]
    (served / "index.json").write_text(json.dumps(index))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def test_models_install_from_the_index_with_progress(local_index, packages_dir):
    code, out, err = cli("models", "list", "--available", "--json")
    assert code == 0
    assert [(r["pair"], r["version"], r["installed"]) for r in json.loads(out)] == [
        ("ru-en", "1.2", None),
        ("de-en", "1.0", None),
    ]
    code, out, err = cli("models", "install", "ru", "en")
    assert (code, out) == (0, f"installed translate-ru_en 1.2 (ru-en) in {packages_dir}\n")
    assert err.splitlines()[-1].startswith("downloading: ")  # log lines when not a terminal
    code, out, err = cli("models", "install", "de", "en")
    assert err == "translate: error: the argos index lists no download link for translate-de_en\n"
    code, out, err = cli("models", "install", "fr", "en")
    assert err == "translate: error: the argos index has no package for fr-en\n"


def test_models_list_reports_broken_folders(installed_copy, packages_dir):
    (packages_dir / "leftover").mkdir()
    code, out, err = cli("models", "list")
    assert code == 0
    assert err.startswith(f"translate: warning: {packages_dir / 'leftover'}: not a usable package")
    assert "translate-ru_en" in out


def test_apertium_translates_each_segment_as_if_alone():
    # In one stream Apertium runs a headline without a full stop into the next sentence:
    # "Protestas en Quito" + "Correa se refirió…" -> "Protests in Remove" + "Strap referred…"
    # (`apertium -u spa-eng` on the two lines). Null-flush blocks keep each segment on its own.
    headline, sentence = "Protestas en Quito", "Correa se refirió a la situación."
    engine = ApertiumEngine()
    together = engine.translate_batch(
        [headline, sentence, "La crisis de los", sentence], "es", "en"
    )
    alone = engine.translate_batch([sentence], "es", "en")[0]
    assert alone.text == "Correa referred to the situation."
    assert [t.text for t in together] == [
        engine.translate_batch([headline], "es", "en")[0].text,
        alone.text,
        engine.translate_batch(["La crisis de los"], "es", "en")[0].text,
        alone.text,
    ]


def test_apertium_confidence_is_the_share_of_known_words_and_marks_are_stripped():
    texts = [
        "El precio del café cayó el año pasado.",
        "El zorbulón de Mapastepec brilla.",  # one unknown common word, one unknown name
        "Precios en [dólares] y <euros> @ 3 $ \\ fin",  # Apertium's special characters pass
    ]
    out = ApertiumEngine().translate_batch(texts, "es", "en")
    assert out[0].confidence == 1.0
    assert out[1].text == "The zorbulón of Mapastepec shines."  # no '*' left in the text
    assert out[1].confidence == pytest.approx(1 - 1 / 5, abs=1e-3)
    assert "*" not in out[2].text
    assert "[dollars]" in out[2].text and "<euros>" in out[2].text and "\\" in out[2].text
