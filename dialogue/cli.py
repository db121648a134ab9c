"""The command line: a thin shell over the library. Each command is one library call.

`main(argv=None) -> int` parses arguments, calls the library and maps errors to exit codes:
0 success, 1 analysis or rendering failure, 2 usage or input error. Only `DialogueError` is caught
as an expected failure; anything else is an internal error (exit 1, one line, `--debug` for the traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from typing import Callable, Sequence

from . import report
from ._version import __version__
from .errors import DialogueError, ModelError, RenderError, TranscriptError, UsageError
from .fmt import format_chat
from .model import DIALECTS
from .parse import parse_file
from .pipeline import analyze, read_transcript
from .textio import write_atomic

# Each command imports what only it needs (classify, render, formats, batch) inside itself: `dialogue parse`
# then starts without loading the classifier, graphviz or the writers (the cold-start benchmark checks it).

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so `main` decides the exit code and message."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see 'dialogue {self.prog.split()[-1]} --help')"
                         if " " in self.prog else f"{message} (see 'dialogue --help')")


def _add_input(p: argparse.ArgumentParser, many: bool = False) -> None:
    if many:
        p.add_argument("files", nargs="+", metavar="FILE", help="transcript files ('-' reads standard input)")
    else:
        p.add_argument("file", metavar="FILE", help="transcript file ('-' reads standard input)")
    p.add_argument("--dialect", choices=DIALECTS, help="force a dialect instead of detecting it")
    p.add_argument("--strict", action="store_true", help="fail on the first line that fits no rule")
    p.add_argument("--encoding", help="input encoding (default UTF-8, with or without BOM)")


def _add_lexicon(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                   help="extra lexicon file (repeatable); see dialogue/classify/lexicons/README.md")
    p.add_argument("--model", metavar="MODEL", help="a model file from 'dialogue train' (default: the bundled model)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dialogue", description="Model the structure of arguments in dialogue.",
                     epilog="Run 'dialogue COMMAND --help' for the options of one command.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("parse", help="read a transcript into speaker turns")
    _add_input(p)
    p.add_argument("--json", action="store_true", help="print JSON instead of one turn per line")
    p.set_defaults(run=cmd_parse)

    p = sub.add_parser("fmt", help="write a transcript in the canonical chat form")
    _add_input(p)
    p.add_argument("-o", "--output", metavar="OUT", help="write here instead of standard output")
    p.set_defaults(run=cmd_fmt)

    p = sub.add_parser("analyze", help="label every move and compute the argument arc")
    _add_input(p)
    _add_lexicon(p)
    p.add_argument("--json", action="store_true", help="print the analysis JSON")
    p.set_defaults(run=cmd_analyze)

    p = sub.add_parser("render", help="draw the arc: .svg .png .pdf .dot .html .json .aif.json")
    _add_input(p)
    _add_lexicon(p)
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output file; format from the suffix")
    p.add_argument("--full", action="store_true", help="a node per turn even for long transcripts")
    p.set_defaults(run=cmd_render)

    p = sub.add_parser("eval", help="score the labels against inline {label} annotations")
    _add_input(p, many=True)
    _add_lexicon(p)
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument("--rules-only", action="store_true", help="score the rules alone, without the learned model")
    p.add_argument("--misses", type=int, default=0, metavar="N", help="also list the first N wrong turns")
    p.set_defaults(run=cmd_eval)

    p = sub.add_parser("train", help="learn a model from {label}-annotated transcripts")
    _add_input(p, many=True)
    p.add_argument("-o", "--output", required=True, metavar="MODEL", help="the model file to write")
    p.add_argument("--base", default="bundled", metavar="MODEL",
                   help="the model to adapt: 'bundled' (default), a model file, or 'none' to train from scratch")
    p.add_argument("--strength", type=float, default=None,
                   help="pull toward the base model's weights (default 0.001; from scratch 0.0001)")
    p.add_argument("--hold-out", type=float, default=0.0, metavar="SHARE",
                   help="share of files (by name) kept apart to calibrate and report on (default 0)")
    p.set_defaults(run=cmd_train)

    p = sub.add_parser("export", help="write analyses as a ConvoKit corpus folder")
    _add_input(p, many=True)
    _add_lexicon(p)
    p.add_argument("--to", required=True, choices=["convokit"], help="target format")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("compare", help="tension arcs of many transcripts in one .svg .png .html")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="transcripts, or corpus databases from 'dialogue batch -o X.sqlite'")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="OUT.svg, OUT.png or OUT.html")
    p.add_argument("--where", metavar="SQL",
                   help="condition on the corpus's transcripts table, e.g. \"closing = 'standoff'\"")
    p.add_argument("--dialect", choices=DIALECTS, help="force a dialect for every transcript")
    p.add_argument("--encoding", help="input encoding")
    _add_lexicon(p)
    p.set_defaults(run=cmd_compare)

    p = sub.add_parser("batch", help="analyse many files on all cores: JSON lines, SQLite, Parquet")
    p.add_argument("inputs", nargs="+", metavar="DIR_OR_GLOB")
    p.add_argument("-o", "--output", required=True, metavar="OUT.jsonl|OUT.sqlite|DIR",
                   help="JSON lines, or one SQLite database for a .sqlite/.sqlite3/.db name (docs/CORPUS.md)")
    p.add_argument("--format", choices=["jsonl", "sqlite", "parquet"],
                   help="the output's format (default from its name); parquet writes a folder of partitions")
    p.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    p.add_argument("--engine", choices=["local", "dask"], default="local")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: a LocalCluster)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    p.add_argument("--dialect", choices=DIALECTS, help="force a dialect for every file")
    p.add_argument("--encoding", help="input encoding")
    _add_lexicon(p)
    p.set_defaults(run=cmd_batch)
    return parser


# -- commands: each one library call and its output ------------------------------------------------------

def _read(args: argparse.Namespace, path: str | None = None, turns: bool = True):
    """The transcript, its warnings printed. `turns`: a file with none is an input error (NoTurnsError) for
    every command that analyses; `parse` and `fmt` read it as an empty transcript and say so."""
    transcript = (read_transcript if turns else parse_file)(path or args.file, dialect=args.dialect,
                                                            strict=args.strict, encoding=args.encoding)
    for warning in transcript.warnings:
        print(warning.located(transcript.source), file=sys.stderr)
    if not transcript.turns:
        print(f"{transcript.source}: warning: no speaker turns found", file=sys.stderr)
    return transcript


def _lexicons(args: argparse.Namespace):
    from .classify import load_lexicons  # lazy: start-up time
    return load_lexicons(args.lexicon)


def _model(args: argparse.Namespace):
    """The model named by --model, loaded now: a bad file is an input error before any work is done."""
    from .classify.judge import as_judge  # lazy: start-up time
    return as_judge(getattr(args, "model", None))


def cmd_parse(args: argparse.Namespace) -> int:
    transcript = _read(args, turns=False)
    if args.json:
        from .formats import jsonio  # lazy: start-up time
        _out(jsonio.dumps(jsonio.transcript_to_dict(transcript)))
    else:
        _out(report.format_turns(transcript))
    return EXIT_OK


def cmd_fmt(args: argparse.Namespace) -> int:
    text = format_chat(_read(args, turns=False))
    if args.output:
        write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_analyze(args: argparse.Namespace) -> int:
    from .formats import jsonio  # lazy: start-up time
    analysis = analyze(_read(args), lexicons=_lexicons(args), model=_model(args))
    _out(jsonio.dumps(jsonio.analysis_to_dict(analysis)) if args.json
         else report.format_analysis(analysis, colour=report.use_colour(sys.stdout)))
    return EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    from .render import render  # lazy: start-up time
    render(analyze(_read(args), lexicons=_lexicons(args), model=_model(args)), args.output, full=args.full)
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from .classify.evaluate import evaluate, format_report  # lazy: start-up time
    model = None if args.rules_only else _model(args)
    scores = evaluate([_read(args, path) for path in args.files], lexicons=_lexicons(args), model=model,
                      rules_only=args.rules_only)
    _out(json.dumps(scores.to_dict(), indent=2, ensure_ascii=False) if args.json
         else format_report(scores, misses=args.misses))
    return EXIT_OK


def cmd_train(args: argparse.Namespace) -> int:
    from .classify.train import train  # lazy: start-up time
    base = None if args.base == "none" else args.base
    fitted = train(args.files, args.output, base=base, strength=args.strength, hold_out=args.hold_out)
    print(f"{args.output}: {fitted.format()}", file=sys.stderr)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .formats.convokit import export_convokit  # lazy: start-up time
    lexicons = _lexicons(args)
    model = _model(args)
    analyses = [analyze(_read(args, path), lexicons=lexicons, model=model) for path in args.files]
    written = export_convokit(analyses, args.output)
    speakers = {turn.speaker for a in analyses for turn in a.transcript.turns}
    print(f"wrote {written}/ ({_count(len(analyses), 'conversation')}, "
          f"{_count(sum(len(a.moves) for a in analyses), 'utterance')}, {_count(len(speakers), 'speaker')})",
          file=sys.stderr)
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    from .render.compare import compare_files  # lazy: start-up time
    rows = compare_files(args.files, args.output, where=args.where, dialect=args.dialect, encoding=args.encoding,
                         lexicons=_lexicons(args), model=_model(args))
    print(f"{args.output}: {rows} {'transcript' if rows == 1 else 'transcripts'} compared", file=sys.stderr)
    return EXIT_OK


def cmd_batch(args: argparse.Namespace) -> int:
    from .batch import run_batch  # lazy: start-up time
    summary = run_batch(args.inputs, args.output, workers=args.workers, engine=args.engine,
                        scheduler=args.scheduler, progress=None if not args.no_progress else False,
                        dialect=args.dialect, encoding=args.encoding, lexicon_files=args.lexicon,
                        model_file=args.model, output_format=args.format)
    print(summary.format(), file=sys.stderr)
    failed = f"; {_count(len(summary.failures), 'file')} failed, listed in it" if summary.failures else ""
    print(f"wrote {summary.output} ({_count(summary.ok, 'transcript')}, {_count(summary.turns, 'turn')}{failed})"
          + (" so far" if summary.interrupted else ""), file=sys.stderr)
    if summary.interrupted:
        return 130
    return EXIT_OK if not summary.failures else EXIT_FAILURE


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    source = "dialogue"
    try:
        parser = build_parser()
        args = parser.parse_args(args_list)
        if args.version:
            print(f"dialogue {__version__}")
            return EXIT_OK
        if not getattr(args, "run", None):
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        source = getattr(args, "file", None) or "dialogue"
        run: Callable[[argparse.Namespace], int] = args.run
        return run(args)
    except TranscriptError as exc:
        print(exc.located(exc.source or _display(source)), file=sys.stderr)
        return EXIT_USAGE
    except ModelError as exc:
        print(exc.located(), file=sys.stderr)
        return EXIT_USAGE
    except UsageError as exc:
        print(f"dialogue: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RenderError as exc:
        print(f"dialogue: error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except DialogueError as exc:
        print(f"dialogue: error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("dialogue: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = None  # type: ignore[assignment]
        finally:
            return EXIT_OK
    except Exception as exc:  # an internal error: one line unless --debug
        if debug:
            traceback.print_exc()
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"dialogue: internal error: {type(exc).__name__}: {message[:300]} (rerun with --debug)",
              file=sys.stderr)
        return EXIT_FAILURE


def _display(name: str) -> str:
    return "<stdin>" if name == "-" else name
