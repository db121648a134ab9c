"""A corpus as Parquet partitions: the tables of `store`, one folder each, for corpora past one machine's SQLite.

`dialogue batch ... -o corpus/ --format parquet` (the `parquet` extra: pyarrow) writes `corpus/<table>/part-
NNNNN.parquet` for the tables of `store.SCHEMA` (same columns, same rows; `meta` becomes `corpus/meta.json`).
The workers (processes or Dask) build the rows, the parent is the one writer: it keeps the rows of up to
`PART_FILES` files and then writes one part per table, each through a temporary name and a rename, the
`transcripts` and `failures` parts last. A part number counts as written once its `transcripts` or `failures`
part exists; a run killed between tables leaves parts without them, which the next run deletes before it
resumes (the files they held are analysed again). So a killed run loses at most the files still held in
memory, and a resumed run gives the same rows as an uninterrupted one.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from typing import Any

from .errors import UsageError
from .store import COLUMNS, STORE_VERSION, TABLES, failure_row

#: Files whose rows are written together as one part of each table.
PART_FILES = 1000
_PART = re.compile(r"part-(\d{5})\.parquet$")
_DONE_TABLES = ("transcripts", "failures")


def _arrow() -> Any:
    try:
        import pyarrow  # lazy: start-up time (and an optional extra)
        import pyarrow.parquet
    except ImportError:
        raise UsageError("--format parquet needs pyarrow: pip install 'dialogue[parquet]'") from None
    return pyarrow


def _schema(pa: Any, table: str) -> Any:
    kinds = {"INTEGER": pa.int64(), "REAL": pa.float64(), "TEXT": pa.string()}
    return pa.schema([(name, kinds[kind]) for name, kind in COLUMNS[table]])


class ParquetWriter:
    """The one writer of a Parquet corpus folder; the same `write(outcome)` / `done()` / `close()` as SQLite."""

    def __init__(self, folder: str | os.PathLike[str], part_files: int = PART_FILES) -> None:
        self.pa = _arrow()
        self.folder = os.fspath(folder)
        self.part_files = part_files
        if os.path.exists(self.folder) and not os.path.isdir(self.folder):
            raise UsageError(f"{self.folder}: --format parquet writes a folder, and this is a file")
        meta = os.path.join(self.folder, "meta.json")
        if os.path.isdir(self.folder) and os.listdir(self.folder) and not os.path.isfile(meta):
            raise UsageError(f"{self.folder}: a folder that is not a dialogue corpus (no meta.json); name a new "
                             "or empty folder")
        if os.path.isfile(meta):
            version = json.loads(open(meta, encoding="utf-8").read()).get("schema_version", 0)
            if version > STORE_VERSION:
                raise UsageError(f"{self.folder}: corpus schema version {version} is newer than this dialogue "
                                 f"reads ({STORE_VERSION}); upgrade dialogue")
        for table in (*TABLES, "failures"):
            os.makedirs(os.path.join(self.folder, table), exist_ok=True)
        with open(meta, "w", encoding="utf-8") as handle:
            json.dump({"schema_version": STORE_VERSION}, handle)
        self._drop_unfinished()
        self.next_part = 1 + max(self._parts("transcripts") | self._parts("failures"), default=-1)
        self.held: dict[str, list[tuple[Any, ...]]] = {table: [] for table in (*TABLES, "failures")}
        self.held_files = 0

    def _parts(self, table: str) -> set[int]:
        found = (_PART.match(name) for name in os.listdir(os.path.join(self.folder, table)))
        return {int(m.group(1)) for m in found if m}

    def _drop_unfinished(self) -> None:
        """Parts written by a run killed before it wrote that part's `transcripts` and `failures`."""
        finished = self._parts("transcripts") & self._parts("failures")
        for table in (*TABLES, "failures"):
            folder = os.path.join(self.folder, table)
            for name in os.listdir(folder):
                found = _PART.match(name)
                if name.endswith(".tmp") or (found and int(found.group(1)) not in finished):
                    os.remove(os.path.join(folder, name))

    def done(self) -> set[str]:
        import pyarrow.parquet as pq  # lazy: start-up time
        sources: set[str] = set()
        for table in _DONE_TABLES:
            for part in sorted(self._parts(table)):
                path = os.path.join(self.folder, table, f"part-{part:05d}.parquet")
                sources.update(pq.read_table(path, columns=["source"]).column("source").to_pylist())
        return sources

    def write(self, outcome: Any) -> None:
        if outcome.ok:
            for table, rows in zip(TABLES, outcome.rows):
                self.held[table].extend(rows)
        else:
            self.held["failures"].append(failure_row(outcome.file, outcome.error or "failed"))
        self.held_files += 1
        if self.held_files >= self.part_files:
            self.flush()

    def flush(self) -> None:
        """Write what is held as part `next_part` of every table, the tables that mark it done last."""
        if not self.held_files:
            return
        import pyarrow.parquet as pq  # lazy: start-up time
        order = [t for t in self.held if t not in _DONE_TABLES] + list(_DONE_TABLES)
        for table in order:
            names = [name for name, _ in COLUMNS[table]]
            rows = self.held[table]
            data = self.pa.table({name: [row[k] for row in rows] for k, name in enumerate(names)},
                                 schema=_schema(self.pa, table))
            path = os.path.join(self.folder, table, f"part-{self.next_part:05d}.parquet")
            pq.write_table(data, path + ".tmp")
            os.replace(path + ".tmp", path)
        self.next_part += 1
        self.held = {table: [] for table in self.held}
        self.held_files = 0

    def close(self) -> None:
        self.flush()


def totals(folder: str | os.PathLike[str]) -> tuple[int, int, Any, Any, list[tuple[str, str]]]:
    """The batch summary's figures over a Parquet corpus: transcripts, turns, labels, closings, failures."""
    import pyarrow.parquet as pq  # lazy: start-up time
    base = os.fspath(folder)
    def column(table: str, name: str) -> list[Any]:
        path = os.path.join(base, table)
        if not any(_PART.match(n) for n in os.listdir(path)):
            return []
        return pq.read_table(path, columns=[name]).column(name).to_pylist()
    turns = column("transcripts", "turns")
    failures = sorted(zip(column("failures", "source"), column("failures", "error")))
    return (len(turns), sum(turns), Counter(column("turns", "label")), Counter(column("transcripts", "closing")),
            failures)
