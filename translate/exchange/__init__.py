"""Exchange formats for translators' own tools: PO, XLIFF 1.2 and 2.0 per story; TMX for the memory.

    export_story(store, workflow, story_id, fmt, user) -> bytes        fmt: po, xliff, xliff2
    read_file(path) -> InFile                                           format sniffed from content
    import_file(store, workflow, path, user, dry_run=False, machine=False) -> ImportPlan

An import checks everything first (translate/exchange/apply.py) and then applies all changes in one
transaction, or none. TMX lives in translate/exchange/tmx.py (`translate tm export/import`).
"""

from __future__ import annotations

from pathlib import Path

from translate.errors import DeskError, UsageError
from translate.i18n import _

FORMATS = ("po", "xliff", "xliff2")
SUFFIXES = {"po": ".po", "xliff": ".xlf", "xliff2": ".xlf"}
MO_MAGIC = (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")  # GNU .mo, little- and big-endian


def export_story(store, workflow, story_id: str, fmt: str, user: str) -> bytes:
    """The story as a PO, XLIFF 1.2 or XLIFF 2.0 document (UTF-8 bytes)."""
    from translate.exchange.gather import gather

    if fmt not in FORMATS:
        raise UsageError(
            _("unknown format '{fmt}' (one of: {formats})").format(
                fmt=fmt, formats=", ".join(FORMATS)
            )
        )
    story = gather(store, workflow, story_id)
    if fmt == "po":
        from translate.exchange.po import write_po

        return write_po(story, user)
    from translate.exchange.xliff import write_xliff12, write_xliff20

    return (write_xliff12 if fmt == "xliff" else write_xliff20)(story, user)


def _looks_like_xml(raw: bytes) -> bool:
    head = raw[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 XML (TMX from some tools)
        return True
    return head.startswith(b"<")


def read_file(path: Path):
    """Parse a translated PO or XLIFF file into an InFile (DeskError naming the problem)."""
    from translate.exchange.xmlutil import local, namespace, parse

    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DeskError(f"{path}: {exc.strerror or exc}") from None
    name = str(path)
    if raw[:4] in MO_MAGIC:
        raise DeskError(
            _(
                "{file}: a compiled MO catalogue, not a PO file; import the .po file it was "
                "compiled from; nothing applied"
            ).format(file=name)
        )
    if not _looks_like_xml(raw):
        from translate.exchange.po import read_po

        return read_po(raw, name)
    root = parse(raw, name)
    tag = local(root.tag)
    if tag == "tmx":
        raise UsageError(
            _("{file} is a TMX translation memory; import it with 'translate tm import'").format(
                file=name
            )
        )
    from translate.exchange.xliff import NS12, NS20, read_xliff

    if tag != "xliff" or namespace(root.tag) not in (NS12, NS20):
        raise DeskError(
            _("{file}: not a PO or XLIFF 1.2/2.0 file (root element <{tag}>)").format(
                file=name, tag=tag
            )
        )
    return read_xliff(root, name)


def import_file(
    store, workflow, path: Path, user: str, dry_run: bool = False, machine: bool = False
):
    """Check a translated file against its story and apply its changes (all or none).

    `machine`: the file's new translations not marked finished are machine text (stored as
    machine drafts and localized to the house style; XLIFF's own machine marks count anyway).
    Returns the ImportPlan (what changed, or would change with dry_run)."""
    from translate.exchange.apply import apply_plan, plan_import, preview_house_style
    from translate.review.access import require_role

    require_role(workflow, user, "import")
    infile = read_file(path)
    plan = plan_import(store, infile, machine)
    if dry_run:
        preview_house_style(store, workflow, plan)
    elif plan.changes:
        apply_plan(store, workflow, plan, user)
    return plan


__all__ = ["FORMATS", "SUFFIXES", "export_story", "import_file", "read_file"]
