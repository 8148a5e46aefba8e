"""The documentation keeps up with the code.

These tests fail when the README loses its two set-up commands, when a `wijk` command
or an environment variable is missing from the operator guide, when a documentation
page is missing, or when a relative link (or image) in the docs points nowhere. Each
helper is also tried on a small bad sample, so a helper that silently finds nothing
cannot make the real checks pass.

No database is needed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
OPERATOR_GUIDE = DOCS / "operator-guide.md"
SETTINGS = ROOT / "src" / "wijk" / "settings.py"
COMMANDS_GLOB = "src/wijk/*/management/commands/*.py"
DOC_PAGES = ("user-guide.md", "operator-guide.md", "architecture.md", "contributing.md")

SETUP_LINES = (
    "make demo # sets up everything and serves a demo enterprise on http://127.0.0.1:8000",
    "make test # sets up everything and runs every test",
)
README_HEAD_LINES = 15

ENV_PATTERNS = (
    re.compile(r"""os\.environ\.get\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']"""),
    re.compile(r"""os\.environ\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\]"""),
    re.compile(r"""os\.getenv\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']"""),
    re.compile(r"""env_bool\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']"""),
    re.compile(r"""env_list\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']"""),
)

FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"`[^`\n]*`")
# [text](target) and ![alt](target); the target may be <wrapped> and followed by a title.
INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+[\"'(][^)]*)?\)"
)
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)", re.MULTILINE)
HTML_LINK = re.compile(r"""<(?:img|a|source)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.I)
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)  # http:, https:, mailto:, //host


# Helpers ------------------------------------------------------------------------------


def _normalise(line: str) -> str:
    return " ".join(line.split())


def missing_setup_lines(text: str, within: int = README_HEAD_LINES) -> list[str]:
    """The set-up lines that are not among the first `within` lines, in order."""
    head = [_normalise(line) for line in text.splitlines()[:within]]
    missing = []
    position = -1
    for expected in SETUP_LINES:
        try:
            position = head.index(expected, position + 1)
        except ValueError:
            missing.append(expected)
    return missing


def command_names(root: Path = ROOT) -> list[str]:
    """Every management command the project defines (file name = command name)."""
    return sorted(path.stem for path in root.glob(COMMANDS_GLOB) if not path.stem.startswith("_"))


def undocumented_commands(names: list[str], text: str) -> list[str]:
    """Names not written as `wijk <name>` (a longer word such as `wijk backups` does not count)."""
    return [
        name for name in names if not re.search(rf"(?<![\w-])wijk {re.escape(name)}(?![\w-])", text)
    ]


def environment_variables(source: str) -> set[str]:
    """Names of environment variables that settings source code reads."""
    return {name for pattern in ENV_PATTERNS for name in pattern.findall(source)}


def undocumented_variables(names: set[str], text: str) -> list[str]:
    """Names that do not occur as a whole word (EMAIL_HOST_USER does not document EMAIL_HOST)."""
    return sorted(
        name
        for name in names
        if not re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", text)
    )


def _prose(markdown: str) -> str:
    """The text without fenced code blocks and inline code, where links are not links."""
    kept = []
    in_fence = False
    for line in markdown.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            kept.append(INLINE_CODE.sub("", line))
    return "\n".join(kept)


def relative_link_targets(markdown: str) -> list[str]:
    """Relative link and image targets, without #anchor or ?query; external links skipped."""
    text = _prose(markdown)
    raw = INLINE_LINK.findall(text) + REFERENCE_LINK.findall(text) + HTML_LINK.findall(text)
    targets = []
    for target in raw:
        target = target.strip().removeprefix("<").removesuffix(">")
        if not target or target.startswith("#") or EXTERNAL.match(target):
            continue
        path = re.split(r"[#?]", target, maxsplit=1)[0]
        if path:
            targets.append(path)
    return targets


def broken_links(markdown_file: Path) -> list[str]:
    """Relative targets in `markdown_file` that do not exist on disk."""
    base = markdown_file.parent
    return [
        target
        for target in relative_link_targets(markdown_file.read_text(encoding="utf-8"))
        if not (base / target).exists()
    ]


def markdown_files() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


# The documentation --------------------------------------------------------------------


@pytest.mark.parametrize("page", DOC_PAGES)
def test_documentation_page_exists(page: str) -> None:
    path = DOCS / page
    assert path.is_file(), f"docs/{page} is missing"
    assert path.read_text(encoding="utf-8").strip(), f"docs/{page} is empty"


def test_readme_starts_with_the_set_up_commands() -> None:
    missing = missing_setup_lines(README.read_text(encoding="utf-8"))
    assert missing == [], (
        f"README.md must show these lines, in this order, within its first "
        f"{README_HEAD_LINES} lines: {missing}"
    )


def test_every_wijk_command_is_in_the_operator_guide() -> None:
    names = command_names()
    missing = undocumented_commands(names, OPERATOR_GUIDE.read_text(encoding="utf-8"))
    assert missing == [], f"Describe these as `wijk <name>` in docs/operator-guide.md: {missing}"


def test_every_environment_variable_is_in_the_operator_guide() -> None:
    names = environment_variables(SETTINGS.read_text(encoding="utf-8"))
    missing = undocumented_variables(names, OPERATOR_GUIDE.read_text(encoding="utf-8"))
    assert missing == [], f"Add these to the table in docs/operator-guide.md: {missing}"


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_point_to_existing_files(path: Path) -> None:
    missing = broken_links(path)
    assert missing == [], f"{path.relative_to(ROOT)} links to missing files: {missing}"


# The helpers find what they are meant to find -------------------------------------------


def test_the_project_has_commands_and_variables_to_check() -> None:
    """Guards against a glob or regex that silently matches nothing."""
    assert {"backup", "restore", "create-organisation"} <= set(command_names())
    names = environment_variables(SETTINGS.read_text(encoding="utf-8"))
    assert {"DATABASE_URL", "SECRET_KEY", "WIJK_DATA_DIR", "WIJK_HTTPS"} <= names
    assert relative_link_targets(README.read_text(encoding="utf-8")), "README has no links?"


def test_set_up_lines_are_required_at_the_top_and_in_order() -> None:
    good = "# Title\n\n```sh\nmake demo   # sets up everything and serves a demo enterprise on http://127.0.0.1:8000\nmake test   # sets up everything and runs every test\n```\n"
    assert missing_setup_lines(good) == []
    assert missing_setup_lines("# Title\n\nSome text.\n") == list(SETUP_LINES)
    too_late = "# Title\n" + "filler\n" * 20 + good
    assert missing_setup_lines(too_late) == list(SETUP_LINES)
    swapped = "\n".join(reversed(good.splitlines()))
    assert missing_setup_lines(swapped) == [SETUP_LINES[1]]
    wrong_text = good.replace("runs every test", "runs some tests")
    assert missing_setup_lines(wrong_text) == [SETUP_LINES[1]]


def test_command_finder_reads_the_commands_folders(tmp_path: Path) -> None:
    folder = tmp_path / "src" / "wijk" / "ledger" / "management" / "commands"
    folder.mkdir(parents=True)
    for name in ("__init__.py", "import-statement.py", "_helpers.py", "close-year.py"):
        (folder / name).write_text("")
    assert command_names(tmp_path) == ["close-year", "import-statement"]


def test_undocumented_commands_are_found() -> None:
    text = (
        "Run `wijk backup --to DIR`, then `wijk check`. Also wijk demonstrate and wijk serve-all."
    )
    assert undocumented_commands(["backup", "check", "demo", "serve"], text) == ["demo", "serve"]


def test_environment_variables_are_found_in_every_form() -> None:
    source = """
X = os.environ.get("ONE")
Y = os.environ.get('TWO', "default")
Z = env_bool("THREE", True)
W = env_list( "FOUR", "a,b")
V = os.environ["FIVE"]
U = os.getenv("SIX")
T = some_other("SEVEN")
"""
    assert environment_variables(source) == {"ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX"}


def test_undocumented_variables_need_the_whole_name() -> None:
    text = "| `EMAIL_HOST_USER` | … |\n| `WIJK_DEBUG` | … |"
    assert undocumented_variables({"EMAIL_HOST", "EMAIL_HOST_USER", "WIJK_DEBUG"}, text) == [
        "EMAIL_HOST"
    ]


def test_link_finder_skips_external_links_anchors_and_code() -> None:
    markdown = """
See [the guide](docs/guide.md#install) and ![a picture](docs/screenshots/a.png "Title").
[Home](https://example.org), [mail](mailto:x@example.org), [top](#top), [q](page.md?x=1).
<img src="docs/b.png" alt=""> and [ref]: docs/ref.md
`[not a link](inline.md)`
```
[not a link either](fenced.md)
```
"""
    assert relative_link_targets(markdown) == [
        "docs/guide.md",
        "docs/screenshots/a.png",
        "page.md",
        "docs/b.png",
    ]
    assert relative_link_targets("[ref]: docs/ref.md\n") == ["docs/ref.md"]


def test_broken_links_are_reported(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "there.md").write_text("# There\n")
    page = tmp_path / "README.md"
    page.write_text(
        "[ok](docs/there.md) [gone](docs/gone.md) ![missing](docs/screenshots/x.png) "
        "[web](https://example.org/nowhere.md)\n"
    )
    assert broken_links(page) == ["docs/gone.md", "docs/screenshots/x.png"]
    nested = tmp_path / "docs" / "page.md"
    nested.write_text("[back](../README.md) [wrong](README.md)\n")
    assert broken_links(nested) == ["README.md"]
