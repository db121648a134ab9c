"""The label registry: one record per label, read by classify, the arc, the pictures, the HTML, JSON and eval.

The end-to-end test adds a label the way a contributor would (one `Label` entry and one rule) in a real
`dialogue` process and finds it in `analyze --json`, the DOT legend and `dialogue eval`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT
from dialogue import labels
from dialogue.analysis import CORE_LABELS, NEUTRAL


def test_the_contract_labels_are_registered_in_priority_order():
    assert set(CORE_LABELS) | {NEUTRAL, "accusation", "humour"} == set(labels.NAMES)
    assert labels.NAMES[:3] == ("insult", "deflection", "reconciliation") and labels.NAMES[-1] == NEUTRAL
    assert {label.name for label in labels.REGISTRY if label.fights} == {"insult", "accusation", "deflection"}


def test_register_adds_after_the_built_in_labels_and_replaces_by_name(label_registry):
    label_registry.register(labels.Label("threat", labels.ATTACK, tension=0.3))
    assert labels.NAMES[-1] == "threat" and labels.get("threat").fights
    label_registry.register(labels.Label("threat", labels.CHARGE))
    assert labels.NAMES.count("threat") == 1 and labels.get("threat").role == labels.CHARGE


def test_the_registry_is_restored_after_a_test():
    assert "threat" not in labels.NAMES


def test_an_unknown_label_is_drawn_and_counted_as_nothing():
    record = labels.get("sarcasm")
    assert record.name == "sarcasm" and record.role == labels.NONE and record.tension == record.conflict == 0


# A contributor's label: one registry entry plus one rule (a rule module in miniature).
PLUGIN = '''
import re
import sys

from dialogue import labels
from dialogue.classify import RULES
from dialogue.cli import main

labels.register(labels.Label("threat", labels.ATTACK, conflict=0.8, tension=0.3, colour="#ad1457",
                             line="dashed", arrowhead="box", pen="2.4", glyph="TTTT"))
_OR_ELSE = re.compile(r"\\bor else\\b", re.IGNORECASE)


def or_else(ctx):
    """ "Give it back, or else": a threat."""
    found = _OR_ELSE.search(ctx.text)
    if found:
        ctx.cue("threat.or-else", found.span(), "threat", 0.9, "threatens: 'or else'")


RULES.push("threat.or-else", or_else)
sys.exit(main(sys.argv[1:]))
'''

TRANSCRIPT = """MAYA: You took my charger again.
OWEN: I did not.
MAYA: Give it back, or else. {threat}
OWEN: Fine, sorry. Here it is. {reconciliation}
"""


def run_plugin(tmp_path, *args: str) -> subprocess.CompletedProcess:
    script = tmp_path / "with_threat.py"
    script.write_text(PLUGIN, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=120, check=False)


def test_a_registered_label_and_its_rule_reach_json_picture_and_eval(tmp_path):
    source = tmp_path / "charger.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")

    analyzed = run_plugin(tmp_path, "analyze", str(source), "--json")
    assert analyzed.returncode == 0, analyzed.stderr
    doc = json.loads(analyzed.stdout)
    threat = doc["turns"][2]
    assert threat["label"] == "threat" and threat["cues"][0]["rule"] == "threat.or-else"
    # the arc reads the record: an attack with tension is the climax, and the apology after it reconciles
    assert doc["arc"]["tension"][2] > doc["arc"]["tension"][1] and doc["arc"]["climax"] == 2
    assert doc["arc"]["closing"] == "reconciled"

    drawn = run_plugin(tmp_path, "render", str(source), "-o", str(tmp_path / "arc.dot"))
    assert drawn.returncode == 0, drawn.stderr
    dot = (tmp_path / "arc.dot").read_text(encoding="utf-8")
    assert 'COLOR="#ad1457"><B>TTTT</B> threat' in dot          # the legend's row for the new label
    assert "class=\"turn threat\"" in dot and "arrowhead=box" in dot   # its node and its reply edge

    page = run_plugin(tmp_path, "render", str(source), "-o", str(tmp_path / "arc.html"))
    assert page.returncode == 0, page.stderr
    assert ".badge.threat { background: #ad1457; }" in (tmp_path / "arc.html").read_text(encoding="utf-8")

    scored = run_plugin(tmp_path, "eval", str(source), "--json")
    assert scored.returncode == 0, scored.stderr
    report = json.loads(scored.stdout)
    assert "threat" in json.dumps(report)
    text = run_plugin(tmp_path, "eval", str(source)).stdout
    assert any(line.split()[:1] == ["threat"] for line in text.splitlines()), text


def test_without_the_plugin_the_label_is_unknown(tmp_path):
    # the registry is per process: the plain CLI never heard of `threat`, and no rule produces it
    source = tmp_path / "charger.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    plain = subprocess.run([sys.executable, "-m", "dialogue", "analyze", str(source), "--json"], cwd=ROOT,
                           capture_output=True, text=True, timeout=120, check=False)
    assert plain.returncode == 0, plain.stderr
    assert "threat" not in labels.NAMES
    assert json.loads(plain.stdout)["turns"][2]["label"] != "threat"
