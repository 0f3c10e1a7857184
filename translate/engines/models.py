"""Argos package management through `argostranslate.package`: list, install (index or file), remove.

The package folder is argos's own (shared with `argospm`) unless workflow.yaml's
`models.packages_dir` or ARGOS_PACKAGES_DIR says otherwise. `argostranslate.package` is light
(~0.1 s); its install and uninstall functions import `argostranslate.translate` (spaCy, stanza,
torch: ~2 s) to clear a cache, which is acceptable for these rare commands and never happens on the
translation path.

argos's own `install_from_path` only checks that a file is a zip and extracts it, and a zip without
its one top-level folder breaks `get_installed_packages()` for every package, so archives are
validated here first. `get_available_packages()` retries for ~19 s when offline, so the index is
fetched here with a short timeout instead.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from translate.engines.base import EngineError
from translate.errors import DeskError
from translate.i18n import _

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
INDEX_TIMEOUT = 5.0
DOWNLOAD_TIMEOUT = 60.0
CODE_CHARS = set("abcdefghijklmnopqrstuvwxyz_-")


class OfflineError(DeskError):
    pass


@dataclass
class PackageInfo:
    """An installed (or available) argos translation package."""

    name: str  # argospm name, e.g. translate-ru_en (stored with every translation)
    version: str
    source: str
    target: str
    path: Path | None = None
    tokenizer: str | None = None  # sentencepiece, bpe or None
    target_prefix: str = ""
    description: str = ""
    links: list[str] = field(default_factory=list)

    @property
    def pair(self) -> str:
        return f"{self.source}-{self.target}"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["path"] = str(self.path) if self.path else None
        data["pair"] = self.pair
        return data


@dataclass
class Problem:
    path: Path
    reason: str


def packages_dir(workflow: Any = None) -> Path:
    """ARGOS_PACKAGES_DIR, else workflow.yaml's models.packages_dir, else argos's default."""
    from translate.desk import argos_packages_dir

    return argos_packages_dir(workflow)


def argos_package(folder: Path):
    """`argostranslate.package`, pointed at `folder`.

    argostranslate.settings reads its environment once, at import, and creates folders there; set
    the variable first so nothing lands in the user's default folder. Later calls in the same process
    may use another folder (another workflow, another test): settings has no setter, so its two
    module-level paths are kept in step here, in this one place.
    """
    folder = Path(folder)
    if "argostranslate.settings" not in sys.modules:
        os.environ.setdefault("ARGOS_PACKAGES_DIR", str(folder))
    from argostranslate import package, settings

    folder.mkdir(parents=True, exist_ok=True)
    settings.package_data_dir = folder
    settings.package_dirs = [folder]
    return package


def _info(pkg: Any, path: Path | None = None) -> PackageInfo:
    tokenizer = None
    if path is not None:
        if (path / "sentencepiece.model").is_file():
            tokenizer = "sentencepiece"
        elif (path / "bpe.model").is_file():
            tokenizer = "bpe"
    from argostranslate.package import argospm_package_name

    return PackageInfo(
        name=argospm_package_name(pkg),
        version=str(pkg.package_version or ""),
        source=pkg.from_code,
        target=pkg.to_code,
        path=path,
        tokenizer=tokenizer,
        target_prefix=getattr(pkg, "target_prefix", "") or "",
        description=str(getattr(pkg, "get_description", lambda: "")() or "").strip(),
    )


def installed(folder: Path) -> tuple[list[PackageInfo], list[Problem]]:
    """Installed translate packages, and folders that are not usable packages."""
    package = argos_package(folder)
    found, problems = [], []
    for child in sorted(Path(folder).iterdir()):
        if not child.is_dir():
            continue
        try:
            pkg = package.Package(child)
        except Exception as exc:  # noqa: BLE001 - argos raises bare exceptions
            problems.append(Problem(child, str(exc) or type(exc).__name__))
            continue
        if pkg.type != "translate" or not pkg.from_code or not pkg.to_code:
            continue
        found.append(_info(pkg, child))
    return found, problems


def _version_key(version: str) -> tuple:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def find(folder: Path, source: str, target: str) -> PackageInfo | None:
    """The newest installed package for a pair."""
    matches = [p for p in installed(folder)[0] if (p.source, p.target) == (source, target)]
    return max(matches, key=lambda p: _version_key(p.version)) if matches else None


# ---------------------------------------------------------------- validating archives


def validate_archive(path: Path) -> dict[str, Any]:
    import zipfile
    import zlib

    """Check an .argosmodel before argos extracts it; returns its metadata."""
    path = Path(path)

    def bad(reason: str) -> DeskError:
        return DeskError(
            _("{path}: not a usable argos package: {reason}").format(path=path, reason=reason)
        )

    if not path.is_file():
        raise DeskError(_("{path}: no such file").format(path=path))
    if not zipfile.is_zipfile(path):
        raise bad(_("not a zip archive"))
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if n and not n.startswith("__MACOSX/")]
        for name in names:
            pure = PurePosixPath(name)
            if pure.is_absolute() or ".." in pure.parts or "\\" in name:
                raise bad(_("unsafe path '{name}' in the archive").format(name=name))
        tops = {PurePosixPath(n).parts[0] for n in names}
        if len(tops) != 1 or not any("/" in n for n in names):
            raise bad(
                _("the archive must hold exactly one top-level folder (found: {found})").format(
                    found=", ".join(sorted(tops)) or "-"
                )
            )
        top = tops.pop()
        members = set(names)
        if f"{top}/metadata.json" not in members:
            raise bad(_("{top}/metadata.json is missing").format(top=top))
        if f"{top}/model/model.bin" not in members:
            raise bad(_("{top}/model/model.bin is missing").format(top=top))
        if not ({f"{top}/sentencepiece.model", f"{top}/bpe.model"} & members):
            raise bad(_("{top}/sentencepiece.model is missing").format(top=top))
        for info in zf.infolist():  # testzip() raises on a damaged deflate stream
            try:
                with zf.open(info) as member:
                    while member.read(1 << 20):
                        pass
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
                raise bad(_("{name} is damaged (CRC error)").format(name=info.filename)) from None
        try:
            metadata = json.loads(zf.read(f"{top}/metadata.json").decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise bad(_("metadata.json is not valid JSON ({reason})").format(reason=exc)) from None
    if not isinstance(metadata, dict):
        raise bad(_("metadata.json must be an object"))
    if metadata.get("type", "translate") != "translate":
        raise bad(_("type '{type}' is not a translation package").format(type=metadata["type"]))
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not value or not set(value) <= CODE_CHARS:
            raise bad(_("metadata.json: '{key}' must be a language code").format(key=key))
    metadata["_folder"] = top
    return metadata


# ---------------------------------------------------------------- install / remove


def install_file(path: Path, folder: Path) -> PackageInfo:
    """Validate and install an .argosmodel, replacing any package for the same pair."""
    metadata = validate_archive(path)
    package = argos_package(folder)
    source, target = metadata["from_code"], metadata["to_code"]
    target_dir = Path(folder) / metadata["_folder"]
    for old in installed(folder)[0]:
        if (old.source, old.target) == (source, target) and old.path:
            package.uninstall(package.Package(old.path))
    if target_dir.exists():
        shutil.rmtree(target_dir)
    try:
        package.install_from_path(Path(path))
    except BaseException:
        shutil.rmtree(target_dir, ignore_errors=True)
        raise
    return _info(package.Package(target_dir), target_dir)


def remove(source: str, target: str, folder: Path) -> PackageInfo:
    found = [p for p in installed(folder)[0] if (p.source, p.target) == (source, target)]
    if not found:
        raise DeskError(
            _("no argos package for {pair} in {folder}").format(
                pair=f"{source}-{target}", folder=folder
            )
        )
    package = argos_package(folder)
    for pkg in found:
        package.uninstall(package.Package(pkg.path))
    return found[-1]


# ---------------------------------------------------------------- the online index


def index_url() -> str:
    """argos's rule: ARGOS_PACKAGE_INDEX (or its settings.json) + 'index.json'."""
    base = os.environ.get("ARGOS_PACKAGE_INDEX")
    if not base:
        settings_file = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        try:
            base = json.loads(
                (settings_file / "argos-translate" / "settings.json").read_text("utf-8")
            ).get("ARGOS_PACKAGE_INDEX")
        except (OSError, ValueError, AttributeError):
            base = None
    base = base or DEFAULT_INDEX
    return base if base.endswith(".json") else base + "index.json"


def _offline(url: str, reason: Any) -> OfflineError:
    return OfflineError(
        _(
            "cannot reach the argos package index {url} ({reason}); offline, install a package "
            "file with 'translate models install --file PATH.argosmodel'"
        ).format(url=url, reason=getattr(reason, "reason", reason))
    )


def available(timeout: float = INDEX_TIMEOUT) -> list[PackageInfo]:
    import urllib.error
    import urllib.request

    """Translation packages in the argos index (fails fast with OfflineError when unreachable)."""
    url = index_url()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - argos index
            data = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise _offline(url, exc) from None
    except ValueError as exc:
        raise DeskError(
            _("{url}: the package index is not valid JSON ({reason})").format(url=url, reason=exc)
        ) from None
    from argostranslate.package import AvailablePackage

    result = []
    for metadata in data if isinstance(data, list) else []:
        pkg = AvailablePackage(metadata)
        if pkg.type == "translate" and pkg.from_code and pkg.to_code:
            info = _info(pkg)
            info.links = list(pkg.links or [])
            result.append(info)
    return result


def download(url: str, progress: Callable[[int, int], None] | None = None) -> Path:
    import urllib.error
    import urllib.request

    """Fetch one package link to a temporary file (progress(done_bytes, total_bytes))."""
    fd, name = tempfile.mkstemp(suffix=".argosmodel")
    done = 0
    try:
        with (
            os.fdopen(fd, "wb") as out,
            urllib.request.urlopen(  # noqa: S310
                url, timeout=DOWNLOAD_TIMEOUT
            ) as response,
        ):
            total = int(response.headers.get("Content-Length") or 0)
            while chunk := response.read(1 << 16):
                out.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        Path(name).unlink(missing_ok=True)
        raise DeskError(
            _("download of {url} failed ({reason})").format(
                url=url, reason=getattr(exc, "reason", exc)
            )
        ) from None
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def install_from_index(
    source: str,
    target: str,
    folder: Path,
    progress: Callable[[int, int], None] | None = None,
) -> PackageInfo:
    candidates = [p for p in available() if (p.source, p.target) == (source, target)]
    if not candidates:
        raise DeskError(
            _("the argos index has no package for {pair}").format(pair=f"{source}-{target}")
        )
    best = max(candidates, key=lambda p: _version_key(p.version))
    links = best.links
    if not links:
        raise DeskError(
            _("the argos index lists no download link for {name}").format(name=best.name)
        )
    errors = []
    for link in links:
        try:
            path = download(link, progress)
        except DeskError as exc:
            errors.append(exc.message)
            continue
        try:
            return install_file(path, folder)
        finally:
            path.unlink(missing_ok=True)
    raise DeskError(errors[-1])


def check_loadable(info: PackageInfo) -> None:
    """Raise EngineError when an installed package lacks the files inference needs."""
    if info.path is None or not (info.path / "model" / "model.bin").is_file():
        raise EngineError(
            _(
                "argos package {name} {version} at {path} has no model/model.bin; reinstall it "
                "with 'translate models install --file PATH.argosmodel'"
            ).format(name=info.name, version=info.version, path=info.path)
        )
