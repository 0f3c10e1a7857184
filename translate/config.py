"""workflow.yaml: where it is, what it holds, and validation with file:line errors and hints.

The file is found from the working directory upward, or given by `--workflow PATH` or the
TRANSLATE_WORKFLOW variable. Relative paths in it are relative to the file's folder. Unknown keys are
errors ("unknown key 'editrs' under 'team', did you mean 'editors'?").
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translate.errors import DeskError
from translate.i18n import _

WORKFLOW_NAME = "workflow.yaml"
PAIR_RE = re.compile(r"^[a-z]{2,3}-[a-z]{2,3}$")
CODE_RE = re.compile(r"^[a-z]{2,3}$")
DURATION_RE = re.compile(r"^(\d+)\s*([smhd])$")
SIZE_RE = re.compile(r"^(\d+)\s*(B|KB|MB|GB)?$", re.IGNORECASE)

DEFAULT_CREDIT = (
    "Translated from {source_language} by {translators}{editors_clause}. "
    "First published in {outlet} on {published}."
)


class WorkflowError(DeskError):
    pass


@dataclass
class Pair:
    source: str
    target: str
    engines: list[str]
    glossary: Path | None
    enforcement: str = "mask"

    @property
    def code(self) -> str:
        return f"{self.source}-{self.target}"


@dataclass
class Workflow:
    path: Path
    root: Path
    store: Path | str  # a path (SQLite) or a postgresql:// URL (team mode; never with a password)
    pairs: dict[str, Pair]
    translators: dict[str, list[str]]
    editors: dict[str, list[str]]
    batch: dict[str, list[str]] = field(default_factory=dict)  # the nightly job's users
    four_eyes: bool = True
    approvals_needed: int = 1
    claim_lease_seconds: int = 4 * 3600
    blocking_checks: list[str] = field(default_factory=list)
    back_translation: bool = True  # omission/names checks: English back into the source (Apertium)
    publish_formats: list[str] = field(default_factory=lambda: ["md", "html", "json"])
    output: Path = Path("published")
    credit_line: str = DEFAULT_CREDIT
    publish_locale: str | None = None  # babel locale of published text (default: the target)
    display_names: dict[str, str] = field(default_factory=dict)  # user -> name in credits
    inbox: Path = Path("inbox")
    max_file_size: int = 2_000_000
    packages_dir: Path | None = None
    mt_options: dict[str, Any] = field(default_factory=dict)
    glossaries_dir: Path = Path("glossaries")
    tm_fuzzy_threshold: int = 75  # translation memory: lowest fuzzy-match score shown (percent)
    house_style: dict[str, Any] = field(default_factory=dict)  # see translate.localize.Style
    low_confidence: float = 0.5  # machine segments less confident get an mt.low_confidence finding
    timezone: str = "UTC"  # the desk's zone: a bare-date deadline ends at 23:59:59 there

    @property
    def zone(self):
        """The desk's time zone as a tzinfo (validated when the file was loaded)."""
        from translate.deadlines import time_zone

        return time_zone(self.timezone)

    @property
    def team_mode(self) -> bool:
        """The store is a PostgreSQL server (a `postgresql://` URL)."""
        return isinstance(self.store, str)

    @property
    def state_dir(self) -> Path:
        """Where this machine keeps the desk's local files (locks): the SQLite store's folder, or
        .translate/ beside workflow.yaml in team mode."""
        if isinstance(self.store, str):
            return self.root / ".translate"
        return Path(self.store).parent

    def pair(self, source: str, target: str = "en") -> Pair | None:
        return self.pairs.get(f"{source}-{target}")

    def roles_of(self, user: str) -> list[str]:
        roles = []
        if user in self.translators:
            roles.append("translator")
        if user in self.editors:
            roles.append("editor")
        if user in self.batch:
            roles.append("batch")
        return roles

    def pairs_of(self, user: str) -> set[str]:
        return set(self.translators.get(user, [])) | set(self.editors.get(user, []))


# ---------------------------------------------------------------- locating


def find_workflow(
    explicit: str | os.PathLike | None = None, start: Path | None = None
) -> Path | None:
    """--workflow PATH, else TRANSLATE_WORKFLOW, else workflow.yaml from the cwd upward."""
    if explicit:
        return Path(explicit).resolve()
    env = os.environ.get("TRANSLATE_WORKFLOW")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / WORKFLOW_NAME
        if candidate.is_file():
            return candidate
    return None


# ---------------------------------------------------------------- validation

_SCHEMA: dict[str, Any] = {
    "store": str,
    "pairs": [
        {
            "source": "code",
            "target": "code",
            "engines": ["str"],
            "glossary": str,
            "enforcement": ("mask", "verify"),
        }
    ],
    "team": {"translators": "members", "editors": "members", "batch": "members"},
    "rules": {"four_eyes": bool, "approvals_needed": int, "claim_lease": "duration"},
    "checks": {"blocking": ["str"], "back_translation": bool, "low_confidence": "fraction"},
    "publishing": {
        "formats": ["str"],
        "output": str,
        "credit_line": str,
        "locale": str,
        "names": "names",
    },
    "batch": {"inbox": str},
    "ingest": {"max_file_size": "size"},
    "models": {"packages_dir": str},
    "mt": {
        "beam_size": ">=1",
        "inter_threads": ">=0",
        "intra_threads": ">=0",
        "max_batch_size": ">=1",
        "max_decoding_ratio": ">0",
        "engines": "engine_options",
    },
    "glossaries": {"folder": str},
    "tm": {"fuzzy_threshold": int},
    "house_style": {"preset": "preset", "rules": "house_rules"},
    "timezone": "timezone",
}


def _line(node: Any, key: Any = None) -> int | None:
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if key is None:
            return lc.line + 1
        if isinstance(key, int):
            return lc.item(key)[0] + 1
        return lc.key(key)[0] + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return lc.line + 1


class _Validator:
    def __init__(self, path: Path):
        self.path = path

    def fail(self, line: int | None, message: str) -> None:
        where = f"{self.path}:{line}" if line else str(self.path)
        raise WorkflowError(f"{where}: {message}")

    def check(self, spec: Any, value: Any, where: str, parent: Any, key: Any) -> None:
        line = _line(parent, key)
        if isinstance(spec, dict):
            if value is None:
                return
            if not isinstance(value, dict):
                # the top level has no key name: name the file instead
                self.fail(line, _("'{key}' must be a mapping").format(key=where or self.path.name))
            for k, v in value.items():
                if k not in spec:
                    hint = difflib.get_close_matches(str(k), list(spec), n=1)
                    msg = _("unknown key '{key}'").format(key=k)
                    if where:
                        msg += " " + _("under '{parent}'").format(parent=where)
                    if hint:
                        msg += ", " + _("did you mean '{hint}'?").format(hint=hint[0])
                    else:
                        msg += " " + _("(known keys: {keys})").format(keys=", ".join(spec))
                    self.fail(_line(value, k), msg)
                self.check(spec[k], v, f"{where}.{k}" if where else str(k), value, k)
        elif isinstance(spec, list):
            if not isinstance(value, list):
                self.fail(line, _("'{key}' must be a list").format(key=where))
            for i, item in enumerate(value):
                self.check(spec[0], item, f"{where}[{i}]", value, i)
        elif spec == "str" or spec is str:
            if not isinstance(value, str):
                self.fail(line, _("'{key}' must be text").format(key=where))
        elif spec is bool:
            if not isinstance(value, bool):
                self.fail(line, _("'{key}' must be true or false").format(key=where))
        elif spec is int:
            if isinstance(value, bool) or not isinstance(value, int):
                self.fail(line, _("'{key}' must be a whole number").format(key=where))
        elif spec == (int, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.fail(line, _("'{key}' must be a number").format(key=where))
        elif spec in (">=0", ">=1"):
            self.check(int, value, where, parent, key)
            if value < int(spec[2:]):
                self.fail(
                    line,
                    _("'{key}' must be a whole number of at least {min}").format(
                        key=where, min=spec[2:]
                    ),
                )
        elif spec == ">0":
            self.check((int, float), value, where, parent, key)
            if value <= 0:
                self.fail(line, _("'{key}' must be a number above 0").format(key=where))
        elif isinstance(spec, tuple):
            if value not in spec:
                self.fail(
                    line,
                    _("'{key}' must be one of: {choices}").format(
                        key=where, choices=", ".join(map(str, spec))
                    ),
                )
        elif spec == "code":
            if not isinstance(value, str) or not CODE_RE.match(value):
                self.fail(line, _("'{key}' must be a language code such as 'ru'").format(key=where))
        elif spec == "duration":
            if not (isinstance(value, int) and not isinstance(value, bool)) and not (
                isinstance(value, str) and DURATION_RE.match(value.strip())
            ):
                self.fail(
                    line, _("'{key}' must be a duration such as '4h' or '30m'").format(key=where)
                )
        elif spec == "size":
            if not (isinstance(value, int) and not isinstance(value, bool)) and not (
                isinstance(value, str) and SIZE_RE.match(value.strip())
            ):
                self.fail(line, _("'{key}' must be a size such as '2MB'").format(key=where))
        elif spec == "fraction":
            self.check((int, float), value, where, parent, key)
            if not 0 <= value <= 1:
                self.fail(line, _("'{key}' must be a number from 0 to 1").format(key=where))
        elif spec == "preset":
            from translate.localize import PRESETS

            if value not in PRESETS:
                self._unknown(line, where, value, list(PRESETS))
        elif spec == "house_rules":
            self._house_rules(value, where, line)
        elif spec == "timezone":
            from translate.deadlines import ScheduleError, time_zone

            try:
                if not isinstance(value, str):
                    raise ScheduleError(value)
                time_zone(value)
            except ScheduleError:
                self.fail(
                    line,
                    _(
                        "'{key}': '{value}' is not a time zone; use an IANA name such as "
                        "'Europe/Madrid' or 'UTC'"
                    ).format(key=where, value=value),
                )
        elif spec == "names":
            if value is None:
                return
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                self.fail(line, _("'{key}' must map each user to a display name").format(key=where))
        elif spec == "engine_options":
            if value is None:
                return
            if not isinstance(value, dict):
                self.fail(
                    line, _("'{key}' must map engine names to their options").format(key=where)
                )
            for name, options in value.items():
                if options is not None and not isinstance(options, dict):
                    self.fail(
                        _line(value, name),
                        _("'{key}.{name}' must be a mapping of option: value").format(
                            key=where, name=name
                        ),
                    )
        elif spec == "members":
            if value is None:
                return
            if not isinstance(value, dict):
                self.fail(
                    line, _("'{key}' must map each name to a list of pairs").format(key=where)
                )
            for name, pairs in value.items():
                pl = _line(value, name)
                if pairs is None:
                    continue
                if not isinstance(pairs, list):
                    self.fail(
                        pl,
                        _("'{key}.{name}' must be a list of pairs such as [ru-en]").format(
                            key=where, name=name
                        ),
                    )
                for p in pairs:
                    if not isinstance(p, str) or not PAIR_RE.match(p):
                        self.fail(
                            pl,
                            _("'{key}.{name}': '{pair}' is not a pair such as 'ru-en'").format(
                                key=where, name=name, pair=p
                            ),
                        )

    def _unknown(self, line: int | None, where: str, value: Any, known: list[str]) -> None:
        msg = _("'{key}': unknown value '{value}'").format(key=where, value=value)
        hint = difflib.get_close_matches(str(value), known, n=1)
        if hint:
            msg += ", " + _("did you mean '{hint}'?").format(hint=hint[0])
        else:
            msg += " " + _("(known: {values})").format(values=", ".join(known))
        self.fail(line, msg)

    def _house_rules(self, value: Any, where: str, line: int | None) -> None:
        """house_style.rules: rule -> false / true / a mapping of that rule's options."""
        from translate.localize import RULES, rule_module

        if value is None:
            return
        if not isinstance(value, dict):
            self.fail(line, _("'{key}' must be a mapping").format(key=where))
        for name, options in value.items():
            here, nline = f"{where}.{name}", _line(value, name)
            if name not in RULES:
                self._unknown(nline, where, name, list(RULES))
            if options is None or isinstance(options, bool):
                continue
            if not isinstance(options, dict):
                self.fail(nline, _("'{key}' must be true, false or a mapping").format(key=here))
            known = rule_module(name).OPTIONS
            for option, setting in options.items():
                oline = _line(options, option)
                if option not in known:
                    self._unknown(oline, here, option, list(known))
                kind = known[option]
                if isinstance(kind, tuple):
                    self.check(kind, setting, f"{here}.{option}", options, option)
                elif kind is int:
                    self.check(">=0", setting, f"{here}.{option}", options, option)
                elif kind is dict:
                    if not isinstance(setting, dict) or not all(
                        isinstance(k, str) and isinstance(v, str) for k, v in setting.items()
                    ):
                        self.fail(
                            oline, _("'{key}' must map text to text").format(key=f"{here}.{option}")
                        )
                elif not isinstance(setting, str):
                    self.fail(oline, _("'{key}' must be text").format(key=f"{here}.{option}"))
            if name == "names" and isinstance(options.get("scheme"), str):
                from translate.localize.names import scheme_names

                schemes = ["house", *scheme_names()]
                if options["scheme"] not in schemes:
                    self._unknown(
                        _line(options, "scheme"), f"{here}.scheme", options["scheme"], schemes
                    )


def parse_duration(value: int | str) -> int:
    if isinstance(value, int):
        return value
    m = DURATION_RE.match(value.strip())
    assert m
    return int(m.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def parse_size(value: int | str) -> int:
    if isinstance(value, int):
        return value
    m = SIZE_RE.match(value.strip())
    assert m
    unit = (m.group(2) or "B").upper()
    return int(m.group(1)) * {"B": 1, "KB": 1000, "MB": 1_000_000, "GB": 1_000_000_000}[unit]


def yaml_roundtrip():
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip mode: keeps comments, gives line numbers
    yaml.preserve_quotes = True
    return yaml


def load_raw(path: Path) -> Any:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WorkflowError(_("{path}: no such file").format(path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkflowError(f"{path}: {exc}") from None
    try:
        data = yaml_roundtrip().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise WorkflowError(
            _("{path}:{line}: YAML error: {problem}").format(path=path, line=line, problem=problem)
        ) from None
    except YAMLError as exc:
        raise WorkflowError(
            _("{path}: YAML error: {problem}").format(path=path, problem=exc)
        ) from None
    if data is None:  # empty, or nothing but comments: a typo'd or truncated file, not a desk
        raise WorkflowError(
            _(
                "{path}: the file is empty; a desk's workflow.yaml names at least its language "
                "pairs (run 'translate init' in an empty folder for a commented one)"
            ).format(path=path)
        )
    return data


def load_workflow(path: Path) -> Workflow:
    raw = load_raw(path)
    validator = _Validator(path)
    validator.check(_SCHEMA, raw, "", None, None)
    root = path.parent

    def resolve(p: str | None, default: str) -> Path:
        value = Path(os.path.expanduser(p if p else default))
        return value if value.is_absolute() else (root / value)

    pairs: dict[str, Pair] = {}
    for i, item in enumerate(raw.get("pairs") or []):
        for required in ("source", "target"):
            if required not in item:
                validator.fail(
                    _line(raw["pairs"], i),
                    _("pairs[{i}]: '{key}' is required").format(i=i, key=required),
                )
        pair = Pair(
            source=item["source"],
            target=item["target"],
            engines=list(item.get("engines") or ["argos"]),
            glossary=resolve(item["glossary"], "") if item.get("glossary") else None,
            enforcement=item.get("enforcement", "mask"),
        )
        if pair.code in pairs:
            validator.fail(
                _line(raw["pairs"], i), _("pair '{pair}' is listed twice").format(pair=pair.code)
            )
        pairs[pair.code] = pair

    tm = raw.get("tm") or {}
    threshold = tm.get("fuzzy_threshold", 75)
    if not 1 <= threshold <= 100:
        validator.fail(
            _line(tm, "fuzzy_threshold"),
            _("'tm.fuzzy_threshold' must be a percentage from 1 to 100"),
        )
    team = raw.get("team") or {}
    rules = raw.get("rules") or {}
    publishing = raw.get("publishing") or {}
    models = raw.get("models") or {}
    env_packages = os.environ.get("ARGOS_PACKAGES_DIR")
    store = _store_location(raw, validator, resolve)
    return Workflow(
        path=path,
        root=root,
        store=store,
        pairs=pairs,
        translators={k: list(v or []) for k, v in (team.get("translators") or {}).items()},
        editors={k: list(v or []) for k, v in (team.get("editors") or {}).items()},
        batch={k: list(v or []) for k, v in (team.get("batch") or {}).items()},
        four_eyes=rules.get("four_eyes", True),
        approvals_needed=rules.get("approvals_needed", 1),
        claim_lease_seconds=parse_duration(rules.get("claim_lease", "4h")),
        blocking_checks=list((raw.get("checks") or {}).get("blocking") or []),
        back_translation=bool((raw.get("checks") or {}).get("back_translation", True)),
        publish_formats=list(publishing.get("formats") or ["md", "html", "json"]),
        output=resolve(publishing.get("output"), "published"),
        credit_line=publishing.get("credit_line") or DEFAULT_CREDIT,
        publish_locale=publishing.get("locale"),
        display_names={str(k): v for k, v in (publishing.get("names") or {}).items()},
        inbox=resolve((raw.get("batch") or {}).get("inbox"), "inbox"),
        max_file_size=parse_size((raw.get("ingest") or {}).get("max_file_size", "2MB")),
        packages_dir=Path(env_packages)
        if env_packages
        else (resolve(models["packages_dir"], "") if models.get("packages_dir") else None),
        mt_options=dict(raw.get("mt") or {}),
        glossaries_dir=resolve((raw.get("glossaries") or {}).get("folder"), "glossaries"),
        tm_fuzzy_threshold=threshold,
        house_style=dict(raw.get("house_style") or {}),
        low_confidence=float((raw.get("checks") or {}).get("low_confidence", 0.5)),
        timezone=str(raw.get("timezone") or "UTC"),
    )


def _store_location(raw: Any, validator: Any, resolve: Any) -> Path | str:
    """TRANSLATE_DATABASE_URL, else `store:` (a path: SQLite; a postgresql:// URL: team mode).
    A password in workflow.yaml is refused: libpq's ~/.pgpass, PGPASSWORD, service files or
    certificates carry credentials."""
    from translate.store.location import has_password, is_url

    env = os.environ.get("TRANSLATE_DATABASE_URL")
    if env:
        return env if is_url(env) else resolve(env, ".translate/desk.db")
    value = raw.get("store")
    if is_url(value):
        if has_password(value):
            validator.fail(
                _line(raw, "store"),
                _(
                    "'store': no password in workflow.yaml; use ~/.pgpass, PGPASSWORD, a service "
                    "file or a client certificate (see docs/team.md)"
                ),
            )
        return value
    return resolve(value, ".translate/desk.db")


def load(explicit: str | os.PathLike | None = None) -> Workflow:
    path = find_workflow(explicit)
    if path is None:
        raise WorkflowError(
            _(
                "no workflow.yaml here or in any parent folder; run 'translate init' or pass --workflow"
            )
        )
    return load_workflow(path)


TEMPLATE = """\
# workflow.yaml: how this translation desk works. Read on every command; errors name the line.
# Paths are relative to this file's folder.

# The SQLite store (stories, segments, translation versions, the events log).
store: .translate/desk.db

# The desk's time zone (IANA name): a deadline given as a bare date ends at 23:59:59 there, and
# 'queue' shows deadlines in it. Default UTC.
timezone: UTC

# Language pairs: engines are tried in order; glossary is a CSV file (see docs/glossary.md);
# enforcement: mask (protect terms through MT with placeholders) or verify (check only).
pairs:
  - source: ru
    target: en
    engines: [argos]
    glossary: glossaries/ru-en.csv
    enforcement: mask
  - source: es
    target: en
    engines: [argos, apertium]
    glossary: glossaries/es-en.csv
    enforcement: mask

# Who works here: name -> the pairs they handle. Edit with 'translate team add/remove'.
# Names are asserted (--user, TRANSLATE_USER, the OS user), not authenticated: see docs/review.md.
team:
  translators:
    ana: [ru-en]
    marta: [es-en]
  editors:
    eve: [ru-en, es-en]
  # the nightly job's user (ingest and MT): TRANSLATE_USER=nightly translate batch
  batch:
    nightly: []

rules:
  four_eyes: true        # an editor may not approve a story they edited
  approvals_needed: 1
  claim_lease: 4h        # how long a claim holds a story

# Checks whose open findings block submission and approval (others are warnings).
checks:
  blocking: [glossary, numbers, untranslated, empty, placeholder.leftover, repetition.loop]
  back_translation: true  # omission and names checks: Apertium eng→spa back-translation (es)
  low_confidence: 0.5    # machine segments less confident than this get an mt.low_confidence warning

publishing:
  formats: [md, html, json]
  output: published
  credit_line: "Translated from {source_language} by {translators}{editors_clause}. First published in {outlet} on {published}."
  locale: en_GB          # language names and dates in the credit line ("12 October 2012")
  names:                 # how team members are credited
    ana: Ana Petrova
    marta: Marta Ruiz
    eve: Eve Stone

batch:
  inbox: inbox           # the nightly batch ingests new files from here

ingest:
  max_file_size: 2MB

models:
  # packages_dir: ~/.local/share/argos-translate/packages   # default: argos's own (ARGOS_PACKAGES_DIR)

mt:
  beam_size: 4
  inter_threads: 2
  intra_threads: 1
  max_batch_size: 8
  max_decoding_ratio: 2.5   # decoding length cap relative to the source length

# House style: the machine draft is rewritten in it after MT (numbers, dates, money, names), each
# change a version of its own (origin 'localize') that 'translate revert' undoes. Presets: ap
# ("Oct. 12, 2012", "3.5%", "five" but "10", Sergei/Alexei/Yuri), nyt (as ap, "3.5 percent"),
# none. Per rule: false turns it off, a mapping sets options (see docs/house-style.md).
house_style:
  preset: ap
  # rules:
  #   percentages: {style: word}      # 3.5 percent
  #   names: {scheme: bgn_pcgn}       # any iuliia scheme; 'house' is wikipedia + news spellings
  #   numbers: {spell_out_below: 0}   # keep figures under 10

# Translation memory: every approved segment pair is kept; an exact match is reused instead of MT,
# fuzzy matches at or above this score (percent) are shown in review and 'translate tm search'.
tm:
  fuzzy_threshold: 75
"""
