"""The README is one screen and true: every path, make target, leakpipe command and docs link it (and the
docs pages it links) names exists."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
PATH_PREFIXES = ("pipelines/", "sql/", "raw/", "tests/", "bench/", "docs/", "scripts/", "deploy/", ".ci/")


def _code_spans(text: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", text)


def _named_paths(text: str) -> set[str]:
    """Repository paths written in code spans: `pipelines/defs/`, `pipelines/sql/views/`, `docs/schema.md`, ..."""
    out = set()
    for span in _code_spans(text):
        for token in re.split(r"[\s,()]+", span):
            token = token.strip("'\".;:")
            if token.startswith(PATH_PREFIXES) and not any(c in token for c in "*<>{}$|"):
                out.add(token.split("#")[0])
    return out


def test_the_readme_fits_on_one_screen_and_starts_with_the_two_commands():
    text = README.read_text()
    assert len(text.splitlines()) <= 120
    first_block = text.split("```")[1]
    assert [line.split()[:2] for line in first_block.strip().splitlines()] == [["make", "run"], ["make", "test"]]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_path_named_exists(page):
    named = _named_paths(page.read_text())
    if page == README:
        assert len(named) >= 10, "the folder map names the project's folders"
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert not missing, f"{page.name} names paths that do not exist: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_markdown_link_resolves(page):
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text())
    missing = [link for link in links if "://" not in link and not (page.parent / link).exists()]
    assert not missing, f"{page.name} links to missing files: {missing}"


def test_every_make_target_named_exists():
    targets = set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), re.M))
    named = set()
    for page in PAGES:
        named |= {m for span in _code_spans(page.read_text()) for m in re.findall(r"\bmake ([a-z][\w-]*)", span)}
        named |= set(re.findall(r"^make ([a-z][\w-]*)", page.read_text(), re.M))
    assert {"run", "test", "system-deps"} <= named
    assert named <= targets, f"make targets named but missing: {sorted(named - targets)}"


def test_every_leakpipe_command_named_exists():
    from click.testing import CliRunner

    from pipelines.cli import cli

    named = set()
    for page in PAGES:
        text = page.read_text()
        named |= set(re.findall(r"leakpipe ([a-z]+)\b", text))
    named -= {"command"}   # prose ("the leakpipe command line")
    commands = set(cli.commands)
    assert named, "the README names the leakpipe commands"
    assert named <= commands, f"leakpipe commands named but missing: {sorted(named - commands)}"
    assert CliRunner().invoke(cli, ["--help"]).exit_code == 0
