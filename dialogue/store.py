"""A corpus in one SQLite database: the tables, the rows of one analysis, and the writer `dialogue batch` uses.

This module owns the database shape (`SCHEMA`, version `STORE_VERSION` in the `meta` table) and nothing else:
`rows_of` turns one `Analysis` into plain row tuples (in the worker, so only tuples travel back), and
`SqliteWriter` (in the parent, the one writer) commits each file's rows in one transaction. A run killed at
any moment leaves every file it committed whole and none half; the next run skips the files already in
`transcripts` or `failures` (the resume rule of the JSON lines output).

Conventions (sqlite-utils / Datasette): plain column names, integer keys, foreign keys declared, JSON text only
where a list is natural (`flows.words`, `speakers.aliases`, `speakers.members`). A transcript's `id` is a
hash of its source name, so the same corpus gives the same rows whatever the order files finish in, the
number of workers, or how often the run was interrupted. The tables are described in docs/CORPUS.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from collections import Counter
from typing import Any
from urllib.parse import quote

from .analysis import Analysis
from .errors import UsageError

#: The version of the tables below; a database written by a newer version is refused.
STORE_VERSION = 1

#: Output names that mean SQLite (compared case-insensitively).
SUFFIXES = (".sqlite", ".sqlite3", ".db")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS transcripts (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL UNIQUE,
  dialect TEXT NOT NULL,
  turns INTEGER NOT NULL,
  speakers INTEGER NOT NULL,
  closing TEXT NOT NULL,
  climax INTEGER,
  peak REAL NOT NULL,
  escalated_first TEXT,
  repaired_first TEXT,
  root_cause INTEGER,
  root_cause_answered INTEGER,
  warnings INTEGER NOT NULL,
  schema_version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS speakers (
  transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  turns INTEGER NOT NULL,
  insults INTEGER NOT NULL,
  accusations INTEGER NOT NULL,
  deflections INTEGER NOT NULL,
  repairs_offered INTEGER NOT NULL,
  repairs_accepted INTEGER NOT NULL,
  first_attack INTEGER,
  first_repair INTEGER,
  aliases TEXT NOT NULL,
  members TEXT NOT NULL,
  PRIMARY KEY (transcript_id, name)
);
CREATE TABLE IF NOT EXISTS turns (
  transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  speaker TEXT NOT NULL,
  line INTEGER NOT NULL,
  section TEXT,
  text TEXT NOT NULL,
  gold TEXT,
  label TEXT NOT NULL,
  score REAL NOT NULL,
  tension REAL,
  phase TEXT,
  responds_to INTEGER,
  PRIMARY KEY (transcript_id, idx)
);
CREATE TABLE IF NOT EXISTS cues (
  transcript_id INTEGER NOT NULL,
  turn INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  rule TEXT NOT NULL,
  label TEXT NOT NULL,
  weight REAL NOT NULL,
  start INTEGER NOT NULL,
  end INTEGER NOT NULL,
  why TEXT NOT NULL,
  PRIMARY KEY (transcript_id, turn, idx),
  FOREIGN KEY (transcript_id, turn) REFERENCES turns(transcript_id, idx) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS exchanges (
  transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  initiation INTEGER NOT NULL,
  response INTEGER NOT NULL,
  label TEXT NOT NULL,
  PRIMARY KEY (transcript_id, idx)
);
CREATE TABLE IF NOT EXISTS phases (
  transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  start INTEGER NOT NULL,
  end INTEGER NOT NULL,
  PRIMARY KEY (transcript_id, idx)
);
CREATE TABLE IF NOT EXISTS flows (
  transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  turn_i INTEGER NOT NULL,
  turn_j INTEGER NOT NULL,
  kind TEXT NOT NULL,
  words TEXT NOT NULL,
  PRIMARY KEY (transcript_id, idx)
);
CREATE TABLE IF NOT EXISTS failures (
  source TEXT PRIMARY KEY,
  line INTEGER,
  col INTEGER,
  error TEXT NOT NULL
);
"""

#: Secondary indexes, for queries: dropped while a run writes and built again when it ends (one pass over the
#: table is faster than keeping them up to date row by row), so a run killed outright leaves them missing
#: until the next run ends.
INDEXES = {"turns_label": "turns (label)", "turns_speaker": "turns (speaker)", "cues_rule": "cues (rule)",
           "exchanges_label": "exchanges (label)", "transcripts_closing": "transcripts (closing)"}

#: Tables filled per transcript, in insertion order (parents first), with their column counts.
TABLES = ("transcripts", "speakers", "turns", "cues", "exchanges", "phases", "flows")

def _columns() -> dict[str, tuple[tuple[str, str], ...]]:
    """(name, SQL type) of each table's columns, read from `SCHEMA` (so other writers, Parquet, share it)."""
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for table, body in re.findall(r"CREATE TABLE IF NOT EXISTS (\w+) \((.*?)\n\);", SCHEMA, flags=re.DOTALL):
        out[table] = tuple((line.split()[0], line.split()[1].rstrip(",")) for line in body.strip().splitlines()
                           if not line.strip().startswith(("PRIMARY KEY", "FOREIGN KEY")))
    return out


COLUMNS = _columns()

#: Rows of one transcript: a tuple of row tuples per table, in `TABLES` order.
Rows = tuple[tuple[tuple[Any, ...], ...], ...]
_INSERT = {table: f"INSERT INTO {table} VALUES ({', '.join('?' * len(COLUMNS[table]))})" for table in TABLES}


def is_sqlite_path(path: str | os.PathLike[str]) -> bool:
    """Whether an output name asks for SQLite (by its suffix)."""
    return os.fspath(path).lower().endswith(SUFFIXES)


def transcript_id(source: str) -> int:
    """A stable integer key for a source name (a 63-bit hash): the same file gets the same id in every run."""
    return int.from_bytes(hashlib.blake2b(source.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def _flow(flow: Any) -> tuple[int, int, str, list[str]]:
    turns = getattr(flow, "turns", None) or (getattr(flow, "first", 0), getattr(flow, "second", 0))
    return int(turns[0]), int(turns[1]), str(getattr(flow, "kind", "")), [str(w) for w in getattr(flow, "words", ())]


def rows_of(analysis: Analysis, source: str | None = None) -> Rows:
    """Every row one analysis contributes, as plain tuples (picklable, cheap to send from a worker)."""
    t, arc = analysis.transcript, analysis.arc
    name = source if source is not None else t.source
    key = transcript_id(name)
    phase_of: dict[int, str] = {}
    for phase in arc.phases:
        for i in range(phase.start, phase.end + 1):
            phase_of[i] = phase.name
    tension = arc.tension
    transcript = (key, name, t.dialect, len(t.turns), len(t.speaker_names), arc.closing, arc.climax,
                  max(tension, default=0.0), arc.escalated_first, arc.repaired_first, arc.root_cause,
                  None if arc.root_cause_answered is None else int(arc.root_cause_answered), len(t.warnings),
                  STORE_VERSION)
    cast = {s.name: s for s in t.speakers}
    speakers = []
    for f in arc.speakers:
        known = cast.get(f.speaker)
        speakers.append((key, f.speaker, f.turns, f.insults, f.accusations, f.deflections, f.repairs_offered,
                         f.repairs_accepted, f.first_attack, f.first_repair,
                         json.dumps(list(known.aliases) if known else []),
                         json.dumps(list(known.members) if known else [])))
    figured = {f.speaker for f in arc.speakers}
    for s in t.speakers:   # the silent members of a cast list, so that `speakers` holds the whole cast
        if s.name not in figured:
            figured.add(s.name)
            speakers.append((key, s.name, 0, 0, 0, 0, 0, 0, None, None, json.dumps(list(s.aliases)),
                             json.dumps(list(s.members))))
    turns: list[tuple[Any, ...]] = []
    cues: list[tuple[Any, ...]] = []
    for turn, move in zip(t.turns, analysis.moves):
        i = turn.index
        turns.append((key, i, turn.speaker, turn.line, turn.section, turn.text, turn.gold, move.label,
                      move.score, tension[i] if i < len(tension) else None, phase_of.get(i), move.responds_to))
        cues.extend((key, i, k, c.rule, c.label, c.weight, c.span[0], c.span[1], c.note)
                    for k, c in enumerate(move.cues))
    exchanges = [(key, k, e.initiation, e.response, e.label) for k, e in enumerate(analysis.exchanges)]
    phases = [(key, k, p.name, p.start, p.end) for k, p in enumerate(arc.phases)]
    flows = [(key, k, *_flow(f)[:3], json.dumps(_flow(f)[3], ensure_ascii=False))
             for k, f in enumerate(getattr(analysis, "flows", ()) or ())]
    return ((transcript,), tuple(speakers), tuple(turns), tuple(cues), tuple(exchanges), tuple(phases),
            tuple(flows))


_LOCATED = re.compile(r":(\d+):(\d+): ")


def failure_row(source: str, error: str) -> tuple[str, int | None, int | None, str]:
    """A `failures` row: the error as printed (`FILE:LINE:COL: error: ...`) and its line and column."""
    rest = error[len(source):] if error.startswith(source) else ""
    found = _LOCATED.match(rest)
    return (source, int(found.group(1)), int(found.group(2)), error) if found else (source, None, None, error)


# -- the database ---------------------------------------------------------------------------------------------

def connect(path: str | os.PathLike[str], create: bool = True) -> sqlite3.Connection:
    """Open (and with `create`, set up) a corpus database; UsageError for a file that is not one of ours."""
    name = os.fspath(path)
    if not create and not os.path.isfile(name):
        raise UsageError(f"{name}: no such database")
    try:
        db = (sqlite3.connect(name, isolation_level=None) if create else
              sqlite3.connect(f"file:{_uri_path(name)}?mode=ro", isolation_level=None, uri=True))
        _check_version(db, name)   # before anything is written: a database not ours is left as it was
        if create:
            # WAL: a commit is one append, durable against a killed process (not against a power cut)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.executescript(SCHEMA)
            db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(STORE_VERSION),))
        else:
            db.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise UsageError(f"{name}: not a dialogue corpus database ({exc})") from None
    return db


def _uri_path(name: str) -> str:
    return quote(os.path.abspath(name))


def _check_version(db: sqlite3.Connection, name: str) -> None:
    has_meta = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
    if not has_meta:
        if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise UsageError(f"{name}: a SQLite database, but not one dialogue wrote (no meta table)")
        return
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is not None and int(row[0]) > STORE_VERSION:
        raise UsageError(f"{name}: corpus schema version {row[0]} is newer than this dialogue reads "
                         f"({STORE_VERSION}); upgrade dialogue")


def done_sources(db: sqlite3.Connection) -> set[str]:
    """Files already in the database: analysed or failed (both are skipped on resume)."""
    return {row[0] for row in db.execute("SELECT source FROM transcripts UNION SELECT source FROM failures")}


def totals(db: sqlite3.Connection) -> tuple[int, int, Counter, Counter, list[tuple[str, str]]]:
    """Figures over the whole database for the batch summary: transcripts, turns, labels, closings, failures."""
    ok, turns = db.execute("SELECT count(*), coalesce(sum(turns), 0) FROM transcripts").fetchone()
    labels = Counter(dict(db.execute("SELECT label, count(*) FROM turns GROUP BY label")))
    closings = Counter(dict(db.execute("SELECT closing, count(*) FROM transcripts GROUP BY closing")))
    failures = list(db.execute("SELECT source, error FROM failures ORDER BY source"))
    return ok, turns, labels, closings, failures


class SqliteWriter:
    """The one writer: each file's rows (or its failure) in one transaction, committed before the next."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self.db = connect(self.path)
        # The rows come from `rows_of`, consistent by construction: foreign keys are declared, not checked
        # row by row here (`PRAGMA foreign_key_check` finds none; tests/test_store.py asks). A larger cache
        # and fewer checkpoints: the WAL is folded into the database every ~40 MB instead of every 4 MB.
        self.db.execute("PRAGMA cache_size = -65536")
        self.db.execute("PRAGMA wal_autocheckpoint = 10000")
        for name in INDEXES:
            self.db.execute(f"DROP INDEX IF EXISTS {name}")

    def done(self) -> set[str]:
        return done_sources(self.db)

    def write_rows(self, rows: Rows) -> None:
        db = self.db
        db.execute("BEGIN")
        try:
            for table, table_rows in zip(TABLES, rows):
                if table_rows:
                    db.executemany(_INSERT[table], table_rows)
            db.execute("COMMIT")
        except BaseException:   # a Ctrl-C included: this file is undone whole, and analysed again on resume
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def write_failure(self, source: str, error: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?)", failure_row(source, error))

    def write(self, outcome: Any) -> None:
        """A `worker.Outcome`: its rows, or its failure."""
        if outcome.ok:
            try:
                self.write_rows(outcome.rows)
            except sqlite3.IntegrityError as exc:   # two sources whose 63-bit ids collide: vanishingly rare
                self.write_failure(outcome.file, f"{outcome.file}: error: cannot store its rows ({exc})")
        else:
            self.write_failure(outcome.file, outcome.error or "failed")

    def close(self) -> None:
        for name, on in INDEXES.items():
            self.db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {on}")
        # back to a single file (no -wal/-shm beside a finished corpus) unless a reader has it open (the
        # sqlite3 shell, Datasette): then it stays in WAL mode, which every reader handles; nothing is lost
        try:
            self.db.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.OperationalError:
            pass
        finally:
            self.db.close()


# -- reading back -------------------------------------------------------------------------------------------

def table_contents(path: str | os.PathLike[str]) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted: what "the same database" means (rows, not bytes or insertion order)."""
    db = connect(path, create=False)
    try:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {name: sorted(db.execute(f"SELECT * FROM {name}"), key=repr) for name in names}
    finally:
        db.close()
