"""Docs are tested: every CLI command is documented, and the README's two commands are the ones CI runs."""
from __future__ import annotations

import re

from newsevents.cli import cli

from .conftest import ROOT


def test_every_command_is_in_the_cli_reference():
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^## `newsevents (\w+)", doc, flags=re.M))
    assert documented == set(cli.commands), set(cli.commands) ^ documented


def test_every_option_is_in_the_cli_reference():
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, cmd in cli.commands.items():
        for param in cmd.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in ("--db", "--format", "--limit", "--help"):
                    assert opt in doc, f"{name} {opt} missing from docs/cli.md"


def test_ci_runs_the_readme_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -e '.[test]'" in readme and "pip install --quiet --disable-pip-version-check -e '.[test]'" in ci
    assert "newsevents run examples/" in readme and "newsevents run examples/" in ci
    assert "python -m pytest" in readme and "python -m pytest" in ci


def test_docs_links_resolve():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)\)", readme):
        if not target.startswith("http"):
            assert (ROOT / target).exists(), target
