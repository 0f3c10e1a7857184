"""How fast the desk refuses hostile XML (goal: under a second each), and what the hardened parser
costs on a large honest file.

For the entity bomb, the external entity and the remote DTD in TBX, XLIFF and TMX
(tests/bad_inputs/) it times the refusal in-process (the hardened parser stops at the declaration),
and it parses a 20,000-unit TMX with the hardened parser and with plain xml.etree.
Run: `.venv/bin/python bench/xml_hostile.py`; the last line is
`xml_hostile: worst_refuse_ms=<x> hardened_over_plain=<y>` (goals: < 1000, <= 3).
"""

from __future__ import annotations

import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/queue.py would shadow the standard library's queue module (multiprocessing imports it)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

BAD = ROOT / "tests" / "bad_inputs"


def _refuse(path: Path) -> float:
    from translate.errors import DeskError
    from translate.exchange import read_file
    from translate.exchange.tmx import read_tmx
    from translate.glossary.formats import read_glossary_file

    start = time.perf_counter()
    try:
        if path.suffix == ".tbx":
            read_glossary_file(path, None, "ru", "en")
        elif path.suffix == ".tmx":
            read_tmx(path.read_bytes(), str(path))
        else:
            read_file(path)
    except DeskError:
        return (time.perf_counter() - start) * 1000
    raise SystemExit(f"{path} was not refused")


def main() -> None:
    from translate.xmlsafe import parse_tree

    _refuse(BAD / "entity-bomb.xlf")  # first use pays the imports
    worst = 0.0
    for name in (
        "entity-bomb.tbx",
        "external-entity.tbx",
        "parameter-entity.tbx",
        "external-dtd.tbx",
        "entity-bomb.xlf",
        "external-entity.xlf",
        "entity-bomb.tmx",
    ):
        ms = _refuse(BAD / name)
        worst = max(worst, ms)
        print(f"{name:24} refused in {ms:7.2f} ms")
    units = "".join(
        f'<tu><tuv xml:lang="ru"><seg>Москва ждёт снега номер {i}.</seg></tuv>'
        f'<tuv xml:lang="en"><seg>Moscow awaits snow number {i}.</seg></tuv></tu>'
        for i in range(20_000)
    )
    raw = f'<tmx version="1.4"><header srclang="ru"/><body>{units}</body></tmx>'.encode()
    plain = hardened = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        ET.fromstring(raw)
        plain = min(plain, time.perf_counter() - start)
        start = time.perf_counter()
        parse_tree(raw, "bench.tmx")
        hardened = min(hardened, time.perf_counter() - start)
    print(f"20,000-unit TMX: plain {plain * 1000:.0f} ms, hardened {hardened * 1000:.0f} ms")
    print(f"xml_hostile: worst_refuse_ms={worst:.2f} hardened_over_plain={hardened / plain:.2f}")


if __name__ == "__main__":
    main()
