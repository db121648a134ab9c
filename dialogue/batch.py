"""Many transcripts at once: find the files, analyse each on all cores (processes, or Dask), one JSON line each.

Owns `run_batch` (the engine behind `dialogue batch`), `find_transcripts` (which files an input names) and the
`BatchSummary` printed at the end. Parsing and analysis happen in the workers (`worker`), which hand back the
finished JSON line; only the parent writes, so the output never interleaves.

Inputs: a folder is searched recursively for files with a transcript suffix (`SUFFIXES`), skipping hidden
files and folders; a glob (`corpus/**/*.txt`) or a file named outright is taken whatever its suffix, since the
user chose it. Files without a suffix are not taken from folders (a folder usually also holds README, LICENSE,
Makefile): name them or glob them.

The output is JSON lines, one SQLite database (`store`) or Parquet partitions (`parquet`). JSON lines: `{"file": ..., "ok": true, "analysis": {...}}` or `{"file": ..., "ok": false,
"error": "FILE:LINE:COL: error: ..."}`. It is the one output of `dialogue` that is appended to rather than
written whole (that is what makes it resumable): each line goes out in one write and is flushed, files already
in the output (done or failed) are skipped, and a last line cut short by a crash is dropped before appending.
Lines come in completion order, not input order; the lines themselves do not depend on the engine or the number
of workers (compare them sorted).

Dask: `engine="dask"` maps `analyze_chunk` over a `dask.bag` of the files. With a `scheduler` address the work
goes to that cluster, whose workers need `dialogue` installed and the files at the same absolute paths (a shared
file system); without one a LocalCluster of `workers` processes is started and closed for the run.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

import attrs

from . import parquet
from .classify.judge import as_judge
from .errors import UsageError
from .progress import progress_bar
from .store import SqliteWriter, is_sqlite_path, totals
from .worker import Options, Outcome, analyze_chunk, analyze_file, ignore_sigint, lexicons_of

#: Suffixes taken when searching a folder (compared case-insensitively).
SUFFIXES = (".txt", ".fountain", ".spmd", ".vtt", ".srt", ".lyrics", ".chat", ".log", ".md")

#: Files handed to a worker at once: large enough to hide the cost of a round trip, small enough that the
#: progress bar moves and an interrupt is not kept waiting.
MAX_CHUNK = 32

ENGINES = ("local", "dask")
FORMATS = ("jsonl", "sqlite", "parquet")


# -- which files --------------------------------------------------------------------------------------------

def _has_magic(text: str) -> bool:
    return any(char in text for char in "*?[")


def _walk(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in SUFFIXES:
                yield os.path.join(root, name)


def find_transcripts(inputs: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The transcript files `inputs` name (folders, globs, files), each once, in a stable sorted order.

    UsageError when an input matches nothing: a typo should not pass for an empty corpus.
    """
    found: dict[str, None] = {}
    for item in inputs:
        name = os.fspath(item)
        if os.path.isdir(name):
            matches = list(_walk(name))
        elif os.path.isfile(name):
            matches = [name]
        elif _has_magic(name):
            matches = []
            for match in sorted(glob.glob(name, recursive=True)):
                matches.extend(_walk(match) if os.path.isdir(match) else [match])
            if not matches:
                raise UsageError(f"{name}: no file matches this pattern")
        else:
            raise UsageError(f"{name}: no such file or folder")
        for match in matches:
            found.setdefault(os.path.normpath(match), None)
    return sorted(found)


# -- the summary --------------------------------------------------------------------------------------------

@attrs.define
class BatchSummary:
    """What the output file holds after the run (earlier runs included), and what this run did."""

    output: str
    files: int = 0                 # transcripts the inputs named
    skipped: int = 0               # already in the output from an earlier run
    analysed: int = 0              # lines written by this run
    ok: int = 0                    # lines with an analysis, over the whole output
    turns: int = 0
    labels: Counter = attrs.field(factory=Counter)
    closings: Counter = attrs.field(factory=Counter)
    failures: list[tuple[str, str]] = attrs.field(factory=list)   # (file, error), over the whole output
    seconds: float = 0.0
    interrupted: bool = False
    engine: str = "local"
    workers: int = 1

    def add(self, outcome: Outcome) -> None:
        if outcome.ok:
            self.ok += 1
            self.turns += outcome.turns
            self.labels.update(dict(outcome.labels))
            self.closings[outcome.closing or "none"] += 1
        else:
            self.failures.append((outcome.file, outcome.error or "failed"))

    @property
    def files_per_second(self) -> float:
        return self.analysed / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        """The one-line summary: files, turns and failures over the whole output."""
        failed = len(self.failures)
        return (f"dialogue batch: {self.ok + failed} files, {self.turns} turns, {failed} "
                f"{'failure' if failed == 1 else 'failures'} in {self.output}"
                + (" (interrupted: run again to resume)" if self.interrupted else ""))

    def format(self) -> str:
        """A plain table for a person: files, turns, labels, closings, failures."""
        rows = [("output", self.output),
                ("files", (f"{self.files} found, {self.skipped} already done, {self.analysed} analysed now"
                           + (" (interrupted: run again to resume)" if self.interrupted else ""))),
                ("analyses", f"{self.ok} ok, {len(self.failures)} failed"),
                ("turns", f"{self.turns}"),
                ("speed", (f"{self.files_per_second:.1f} files/s with {self.workers} "
                          f"{'worker' if self.workers == 1 else 'workers'} ({self.engine}), {self.seconds:.1f} s"))]
        if self.labels:
            rows.append(("labels", ", ".join(f"{k} {v}" for k, v in self.labels.most_common())))
        if self.closings:
            rows.append(("closings", ", ".join(f"{k} {v}" for k, v in self.closings.most_common())))
        width = max(len(key) for key, _ in rows)
        lines = [self.line()] + [f"  {key.ljust(width)}  {value}" for key, value in rows]
        if self.failures:
            lines.append("  failures:")
            lines.extend(f"    {error}" for _, error in sorted(self.failures)[:20])
            if len(self.failures) > 20:
                lines.append(f"    ... and {len(self.failures) - 20} more (lines with \"ok\": false in the output)")
        return "\n".join(lines)


# -- the output file ----------------------------------------------------------------------------------------

def _outcome_of(doc: dict[str, Any]) -> Outcome:
    """Summary figures back from a line written earlier."""
    name = str(doc["file"])
    if not doc.get("ok"):
        return Outcome(name, "", False, error=str(doc.get("error") or "failed"))
    analysis = doc.get("analysis") or {}
    turns = analysis.get("turns") or []
    labels = Counter(str(t.get("label", "neutral")) for t in turns)
    closing = (analysis.get("arc") or {}).get("closing")
    return Outcome(name, "", True, len(turns), tuple(sorted(labels.items())), closing)


def read_done(output: str | os.PathLike[str], summary: BatchSummary | None = None) -> set[str]:
    """The files an earlier run already wrote to `output`, repairing a last line cut short by a crash.

    A line that is not complete JSON with a `file` key does not count (that file is analysed again).
    """
    done: set[str] = set()
    path = Path(output)
    if not path.exists():
        return done
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end < len(data):
        # the last line never got its newline: drop it, so appended lines start on a line of their own
        with open(path, "r+b") as handle:
            handle.truncate(end)
    for raw in data[:end].splitlines():
        try:
            doc = json.loads(raw)
            name = doc["file"]
        except (ValueError, KeyError, TypeError):
            continue
        if name in done:
            continue
        done.add(name)
        if summary is not None:
            summary.add(_outcome_of(doc))
    return done


class _Writer:
    """Appends whole lines, one write and a flush each, so an interrupt leaves only complete lines."""

    def __init__(self, path: str) -> None:
        try:
            self.handle = open(path, "ab", buffering=0)  # noqa: SIM115 - open for the whole run
        except OSError as exc:
            raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None

    def write(self, outcome: Outcome) -> None:
        data = memoryview((outcome.line + "\n").encode("utf-8"))
        while data:
            data = data[self.handle.write(data):]

    def close(self) -> None:
        self.handle.close()


def _open_output(fmt: str, out: str, summary: BatchSummary) -> tuple[Any, set[str]]:
    """The writer for `fmt` and the files the output already holds (their figures added to `summary`)."""
    if fmt == "jsonl":
        return _Writer(out), read_done(out, summary)
    if fmt == "sqlite":
        writer: Any = SqliteWriter(out)
        figures = totals(writer.db)
    else:
        writer = parquet.ParquetWriter(out)
        figures = parquet.totals(out)
    summary.ok, summary.turns, summary.labels, summary.closings, summary.failures = figures
    return writer, writer.done()


# -- engines ------------------------------------------------------------------------------------------------

def _chunks(items: Sequence[tuple[str, str]], workers: int) -> list[Sequence[tuple[str, str]]]:
    size = max(1, min(MAX_CHUNK, len(items) // (workers * 8) or 1))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _run_local(items: Sequence[tuple[str, str]], options: Options, workers: int,
               emit: Callable[[Outcome], None]) -> None:
    if workers == 1:
        # one worker: this process, with no pool to start and no pickling
        for name, path in items:
            emit(analyze_file(name, options, path))
        return
    queue = _chunks(items, workers)
    queue.reverse()   # popped from the end: first chunk first
    pending: set[Future] = set()
    # A bounded window of chunks in flight keeps memory flat on huge corpora and makes an interrupt quick.
    window = workers * 4
    executor = ProcessPoolExecutor(max_workers=workers, initializer=ignore_sigint)
    try:
        while queue or pending:
            while queue and len(pending) < window:
                pending.add(executor.submit(analyze_chunk, queue.pop(), options))
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                for outcome in future.result():
                    emit(outcome)
    finally:
        # on an interrupt: drop what has not started; the running chunks are small and finish quickly
        executor.shutdown(wait=True, cancel_futures=True)


def _run_dask(items: Sequence[tuple[str, str]], options: Options, workers: int, scheduler: str | None,
              emit: Callable[[Outcome], None]) -> None:
    if not items:
        return
    try:
        import dask.bag as db  # lazy: start-up time (and an optional extra)
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise UsageError("the dask engine needs Dask: pip install 'dialogue[dask]'") from None
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        # silence_logs: a worker's heartbeat that meets a scheduler shutting down logs a warning with a
        # traceback (seen on a busy machine); the run's own failures are reported by us, not by Dask's logs
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        # Workers read the files themselves (a shared file system, as on any cluster): absolute paths.
        located = [(name, os.path.abspath(path)) for name, path in items]
        size = len(_chunks(located, workers)[0]) if located else 1
        bag = db.from_sequence(located, partition_size=size).map_partitions(analyze_chunk, options)
        futures = client.compute(bag.to_delayed())
        try:
            for future in as_completed(futures):
                for outcome in future.result():
                    emit(outcome)
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_batch(inputs: Iterable[str | os.PathLike[str]], output: str | os.PathLike[str], workers: int | None = None,
              engine: str = "local", scheduler: str | None = None, progress: bool | None = None,
              dialect: str | None = None, encoding: str | None = None,
              lexicon_files: Sequence[str | os.PathLike[str]] = (),
              model_file: str | os.PathLike[str] | None = None, output_format: str | None = None) -> BatchSummary:
    """Analyse every transcript `inputs` names into `output`; return the summary. `output_format` (`FORMATS`):
    JSON lines, or SQLite when `output` ends in .sqlite; "parquet" writes a folder (`dialogue.parquet`).

    `workers`: processes (default: every core). `engine`: "local" (a process pool) or "dask" (a bag over
    the files, on the cluster at `scheduler`, or on a LocalCluster of `workers` processes). `progress`: None
    shows a bar only when standard error is a terminal; True always; False never. A Ctrl-C stops the run
    after the files in flight, keeps every finished line and returns a summary marked interrupted.
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if scheduler and engine != "dask":
        raise UsageError("--scheduler needs --engine dask")
    if workers is not None and workers < 1:
        raise UsageError(f"workers must be at least 1, got {workers}")
    workers = workers or os.cpu_count() or 1
    out = os.fspath(output)
    folder = os.path.dirname(out) or "."
    if not os.path.isdir(folder):
        raise UsageError(f"{out}: output folder {folder!r} does not exist")
    fmt = output_format or ("sqlite" if is_sqlite_path(out) else "jsonl")
    if fmt not in FORMATS:
        raise UsageError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if os.path.isdir(out) and fmt != "parquet":
        raise UsageError(f"{out}: is a folder; the output is one JSON lines file or one SQLite database "
                         "(a folder takes --format parquet)")
    options = Options(dialect, encoding, tuple(os.fspath(f) for f in lexicon_files),
                      os.fspath(model_file) if model_file is not None else None, rows=fmt != "jsonl")
    if options.lexicon_files:
        lexicons_of(options.lexicon_files)  # a bad lexicon is a usage error now, not ten thousand failures later
    as_judge(options.model_file)  # likewise a bad model file
    files = [f for f in find_transcripts(inputs) if os.path.abspath(f) != os.path.abspath(out)]

    summary = BatchSummary(out, files=len(files), engine=engine, workers=workers)
    writer, done = _open_output(fmt, out, summary)
    todo = [(name, name) for name in files if name not in done]
    summary.skipped = len(files) - len(todo)
    bar = progress_bar(progress, len(files), summary.skipped, desc="dialogue batch")
    started = time.perf_counter()

    def emit(outcome: Outcome) -> None:
        writer.write(outcome)
        summary.analysed += 1
        summary.add(outcome)
        bar.update(1)

    try:
        if engine == "dask":
            _run_dask(todo, options, workers, scheduler, emit)
        else:
            _run_local(todo, options, min(workers, max(len(todo), 1)), emit)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        bar.close()
        writer.close()   # the SQLite output builds its indexes here: part of the run's time
        summary.seconds = time.perf_counter() - started
    return summary
