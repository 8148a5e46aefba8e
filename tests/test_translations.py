"""The Dutch catalogue is complete, current and keeps every placeholder."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "wijk"
PO = PACKAGE / "locale" / "nl" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{\{\s*[a-z_.]+\s*\}\}")


def catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def placeholders(text: str) -> set[str]:
    return {re.sub(r"\s", "", p) for p in PLACEHOLDER.findall(text)}


def problems(po: polib.POFile) -> list[str]:
    found = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {entry.msgid!r}")
        if entry.msgid_plural:
            translations = list(entry.msgstr_plural.values())
            if not all(translations):
                found.append(f"untranslated plural: {entry.msgid!r}")
            expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
            for text in translations:
                if text and placeholders(text) - expected:
                    found.append(f"unknown placeholder in: {entry.msgid!r}")
        else:
            if not entry.msgstr:
                found.append(f"untranslated: {entry.msgid!r}")
            elif placeholders(entry.msgstr) != placeholders(entry.msgid):
                found.append(f"placeholders differ: {entry.msgid!r} -> {entry.msgstr!r}")
    return found


def test_dutch_catalogue_is_complete():
    assert problems(catalogue()) == []


def test_checker_finds_what_is_wrong():
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Hello %(name)s.", msgstr="Hallo."))
    po.append(polib.POEntry(msgid="Untranslated.", msgstr=""))
    po.append(polib.POEntry(msgid="Fuzzy.", msgstr="Wazig.", flags=["fuzzy"]))
    assert len(problems(po)) == 3


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="needs gettext: apt-get install gettext"
)
def test_catalogue_holds_every_string_in_the_code(tmp_path):
    """Extract the strings afresh into a copy and compare: nothing may be missing."""
    copy = tmp_path / "wijk"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo"))
    result = subprocess.run(
        [
            str(Path(__import__("sys").executable).with_name("django-admin")),
            "makemessages",
            "-l",
            "nl",
            "--no-obsolete",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": ""},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh = {
        e.msgid
        for e in polib.pofile(str(copy / "locale/nl/LC_MESSAGES/django.po"))
        if not e.obsolete
    }
    current = {e.msgid for e in catalogue() if not e.obsolete}
    missing = sorted(fresh - current)
    assert missing == [], f"Run `cd src/wijk && wijk makemessages -l nl` and translate: {missing}"


INFORMAL_YOU = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)


def informal(po: polib.POFile) -> list[str]:
    """Dutch texts that say "je" where the app says "u" to everyone."""
    found = []
    for entry in po:
        texts = [entry.msgstr, *entry.msgstr_plural.values()]
        if any(INFORMAL_YOU.search(text) for text in texts):
            found.append(entry.msgid)
    return found


def test_the_dutch_pages_address_the_reader_as_u():
    assert informal(catalogue()) == []
    po = polib.POFile()
    po.append(polib.POEntry(msgid="You are signed up.", msgstr="Je bent aangemeld."))
    po.append(polib.POEntry(msgid="Youth", msgstr="Jeugd"))
    assert informal(po) == ["You are signed up."]


def test_no_translated_text_hides_in_an_f_string():
    """makemessages (xgettext) does not look inside f-strings: `f"{_('Paid')} …"` is
    never put in the catalogue, so it stays English. Use `_("Paid %(x)s") % {...}`."""
    hidden = re.compile(r"""\bf(["']).*?\{\s*(_|gettext|ngettext|pgettext)\(""")
    source = Path(__file__).resolve().parent.parent / "src" / "wijk"
    found = [
        f"{path.relative_to(source)}:{number}"
        for path in sorted(source.rglob("*.py"))
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if hidden.search(line)
    ]
    assert found == []
