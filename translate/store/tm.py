"""Translation memory rows: approved segment pairs with their story, pair and time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlite_utils import Database

_COLUMNS = "id, source_lang, target_lang, source, source_norm, target, story_id, segment_id, at"


class TMQueries:
    db: Database

    def tm_replace_story(self, story_id: str, rows: list[dict]) -> None:
        """The story's approved pairs replace those recorded at an earlier approval."""
        self.db.execute("DELETE FROM tm WHERE story_id = ?", [story_id])
        if rows:
            self.db["tm"].insert_all(rows)

    def tm_add(self, rows: Iterable[dict]) -> int:
        rows = list(rows)
        if rows:
            self.db["tm"].insert_all(rows)
        return len(rows)

    def tm_exact(self, source_lang: str, target_lang: str, source_norm: str) -> dict | None:
        """The most recently recorded entry whose normalised source is `source_norm`."""
        return self.tm_exact_many(source_lang, target_lang, [source_norm]).get(source_norm)

    def tm_exact_many(
        self, source_lang: str, target_lang: str, source_norms: list[str]
    ) -> dict[str, dict]:
        """tm_exact for many normalised sources at once ({source_norm: entry}), a query per 500
        (an MT wave asks for all its segments together)."""
        found: dict[str, dict] = {}
        wanted = list(dict.fromkeys(source_norms))
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ", ".join("?" for _ in chunk)
            for row in self.db.query(
                f"SELECT {_COLUMNS} FROM tm WHERE source_lang = ? AND target_lang = ? "
                f"AND source_norm IN ({marks}) ORDER BY id",
                [source_lang, target_lang, *chunk],
            ):
                found[row["source_norm"]] = row  # ascending ids: the newest entry stays
        return found

    def tm_pair_sources(self, source_lang: str, target_lang: str) -> list[tuple[int, str]]:
        """(id, source_norm) of every entry of a pair (read from the covering index alone)."""
        return self.db.execute(
            "SELECT id, source_norm FROM tm WHERE source_lang = ? AND target_lang = ?",
            [source_lang, target_lang],
        ).fetchall()

    def tm_rows(self, ids: list[int]) -> dict[int, dict]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {
            r["id"]: r
            for r in self.db.query(f"SELECT {_COLUMNS} FROM tm WHERE id IN ({marks})", list(ids))
        }

    def tm_generation(self) -> int:
        """Grows whenever entries are recorded (a re-approval deletes and re-inserts), so it keys
        in-memory indexes; O(1) on the rowid."""
        return int(self.db.execute("SELECT COALESCE(MAX(id), 0) FROM tm").fetchone()[0])

    def tm_keys(self) -> set[tuple[str, str, str, str]]:
        """(source_lang, target_lang, source_norm, target) of every entry, to skip duplicates."""
        return set(self.db.execute("SELECT source_lang, target_lang, source_norm, target FROM tm"))

    def tm_entries(
        self, source_lang: str | None = None, target_lang: str | None = None
    ) -> Iterator[dict]:
        sql, params = f"SELECT {_COLUMNS} FROM tm WHERE 1=1", []
        if source_lang:
            sql += " AND source_lang = ?"
            params.append(source_lang)
        if target_lang:
            sql += " AND target_lang = ?"
            params.append(target_lang)
        yield from self.db.query(sql + " ORDER BY id", params)

    def tm_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM tm").fetchone()[0])

    def tm_segment_numbers(self, segment_ids: list[int]) -> dict[int, int]:
        """segments.id -> number within its story."""
        if not segment_ids:
            return {}
        marks = ",".join("?" * len(segment_ids))
        return dict(
            self.db.execute(
                f"SELECT id, number FROM segments WHERE id IN ({marks})", list(segment_ids)
            ).fetchall()
        )

    def tm_pairs(self) -> list[tuple[str, str]]:
        return [
            (r[0], r[1])
            for r in self.db.execute(
                "SELECT DISTINCT source_lang, target_lang FROM tm ORDER BY source_lang, target_lang"
            )
        ]
