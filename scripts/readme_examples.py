"""The command-line examples of README.md, produced by the program: regenerate them or check they are current.

An example is a console block between two markers that name the command:

    <!-- example: dialogue analyze samples/duet.lyrics.txt -->
    ```console
    $ dialogue analyze samples/duet.lyrics.txt
    (what the program prints)
    ```
    <!-- /example -->

`--write` replaces every block with what the command prints now; `--check` changes nothing and exits 1 with a
unified diff when a block is stale (tests/test_readme.py runs it). Each command runs as `python -m dialogue
ARGS` in a subprocess from the repository root, the checkout's code first on the path, with `NO_COLOR=1` and
standard output a pipe (not a terminal), so what is shown has no colour, no timings, no absolute paths. A
command that fails (exit code not 0) is an error: a README example shows a command that works.

    python scripts/readme_examples.py --check
    python scripts/readme_examples.py --write
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"^<!-- example: (?P<command>[^\n]+?) -->\n(?P<body>.*?)^<!-- /example -->$",
                   re.MULTILINE | re.DOTALL)


class ExampleError(Exception):
    """A marked example that cannot be produced: not a `dialogue` command, or it failed."""


def run(command: str) -> str:
    """What `command` (`dialogue ARGS`) prints on standard output, run as a user at a pipe would."""
    args = shlex.split(command)
    if not args or args[0] != "dialogue":
        raise ExampleError(f"example {command!r}: only `dialogue ...` commands are run")
    env = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "CLICOLOR_FORCE")}
    env.update(NO_COLOR="1", PYTHONIOENCODING="utf-8",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "dialogue", *args[1:]], cwd=ROOT, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
    if proc.returncode != 0:
        raise ExampleError(f"example {command!r} exited {proc.returncode}: "
                           + proc.stderr.decode("utf-8", "replace").strip())
    return proc.stdout.decode("utf-8")


def block(command: str, output: str) -> str:
    """The README text of one example: the markers, the console fence, the prompt line and the output."""
    return (f"<!-- example: {command} -->\n```console\n$ {command}\n{output.rstrip()}\n```\n"
            "<!-- /example -->")


def regenerated(text: str) -> str:
    """`text` with every example block replaced by what its command prints now."""
    return BLOCK.sub(lambda m: block(m.group("command"), run(m.group("command"))), text)


def commands(text: str) -> list[str]:
    return [m.group("command") for m in BLOCK.finditer(text)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="regenerate or check the README's command-line examples")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="rewrite the example blocks from the program's output")
    mode.add_argument("--check", action="store_true", help="exit 1 with a diff when a block is stale")
    parser.add_argument("--readme", type=Path, default=README, help="the Markdown file (default: README.md)")
    options = parser.parse_args(argv)
    text = options.readme.read_text(encoding="utf-8")
    if not commands(text):
        print(f"{options.readme}: no example blocks (<!-- example: dialogue ... -->)", file=sys.stderr)
        return 2
    try:
        fresh = regenerated(text)
    except (ExampleError, subprocess.TimeoutExpired) as exc:
        print(f"{options.readme}: {exc}", file=sys.stderr)
        return 2
    if options.write:
        if fresh != text:
            sys.path.insert(0, str(ROOT))
            from dialogue.textio import write_atomic
            write_atomic(options.readme, fresh)
        print(f"{options.readme}: {len(commands(text))} examples " + ("rewritten" if fresh != text else "current"))
        return 0
    if fresh == text:
        print(f"{options.readme}: {len(commands(text))} examples current")
        return 0
    sys.stdout.writelines(difflib.unified_diff(text.splitlines(keepends=True), fresh.splitlines(keepends=True),
                                               f"{options.readme} (as written)",
                                               f"{options.readme} (as the program prints)"))
    print(f"{options.readme}: stale examples; run: python scripts/readme_examples.py --write", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
