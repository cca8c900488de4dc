"""Every string a person can see exists in Chinese: Qt tr() strings and the core's messages."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from desktop_app.domain import messages
from tools.update_translations import ROOT, TS, sources, tool

pytestmark = pytest.mark.xdist_group("lupdate")  # one worker runs pyside6-lupdate, once

CJK = re.compile(r"[\u4e00-\u9fff]")
QT_ARGS = re.compile(r"%(?:n|\d)")
FORMAT_ARGS = re.compile(r"\{(\w*)\}")
NOT_WORDS = re.compile(r"\{\w*\}|\*\.\w+|%\w")  # placeholders and file patterns


def has_words(text: str) -> bool:
    return bool(re.search("[a-z]{3}", NOT_WORDS.sub("", text)))


def catalogue(ts: Path) -> dict[tuple[str, str], str]:
    """(context, source) → translation text ('' when missing or unfinished)."""
    out: dict[tuple[str, str], str] = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for m in context.iter("message"):
            tr = m.find("translation")
            if tr is None or tr.get("type") in ("obsolete", "vanished"):
                continue
            forms = tr.findall("numerusform")
            text = " ".join(f.text or "" for f in forms) if forms else tr.text or ""
            out[(name, m.findtext("source", ""))] = "" if tr.get("type") else text
    return out


@pytest.fixture(scope="module")
def strings_in_code(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    """What pyside6-lupdate finds in ui/ right now (not what was last extracted)."""
    fresh = tmp_path_factory.mktemp("ts") / "fresh.ts"
    subprocess.run(
        [tool("pyside6-lupdate"), *sources(), "-ts", str(fresh), "-locations", "none"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return set(catalogue(fresh))


def test_every_tr_string_in_ui_has_a_finished_chinese_translation(
    strings_in_code: set[tuple[str, str]],
) -> None:
    zh = catalogue(TS)
    missing = sorted(f"{c}: {s!r}" for c, s in strings_in_code if not zh.get((c, s), "").strip())
    assert strings_in_code, "lupdate found no strings at all"
    assert not missing, (
        "not translated in paddock_zh_CN.ts (run tools/update_translations.py, then "
        "translate):\n" + "\n".join(missing)
    )


def test_translations_keep_the_placeholders_of_their_source() -> None:
    wrong = [
        f"{c}: {s!r} → {t!r}"
        for (c, s), t in catalogue(TS).items()
        if t and sorted(set(QT_ARGS.findall(s))) != sorted(set(QT_ARGS.findall(t)))
    ]
    assert not wrong, "\n".join(wrong)


def test_chinese_translations_are_chinese() -> None:
    # a copy of English words is a translation left undone (KOL, NPS, VIP, PDF are fine)
    suspicious = [
        f"{c}: {s!r} → {t!r}"
        for (c, s), t in catalogue(TS).items()
        if t and has_words(s) and not CJK.search(t)
    ]
    assert not suspicious, "\n".join(suspicious)


def test_compiled_catalogue_matches_the_source() -> None:
    qm = TS.with_suffix(".qm")
    assert qm.exists() and qm.stat().st_mtime >= TS.stat().st_mtime - 1


@pytest.mark.parametrize("table", ["MESSAGES", "FIELD_LABELS", "PERMISSION_WORDS", "ROLE_WORDS"])
def test_every_core_message_has_english_and_chinese_with_the_same_parameters(table: str) -> None:
    entries: dict[str, tuple[str, str]] = getattr(messages, table)
    bad = []
    for code, (en, zh) in entries.items():
        if not en.strip() or not zh.strip() or (has_words(en) and not CJK.search(zh)):
            bad.append(f"{code}: missing Chinese ({zh!r})")
        elif set(FORMAT_ARGS.findall(en)) != set(FORMAT_ARGS.findall(zh)):
            bad.append(f"{code}: parameters differ: {en!r} / {zh!r}")
    assert not bad, "\n".join(bad)


def test_no_message_code_is_defined_twice() -> None:
    # A dict literal keeps the last of two equal keys without a word: two people adding
    # the same message (or a merge) would silently shadow one of them.
    import ast

    tree = ast.parse(Path(messages.__file__).read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            repeated = sorted({k for k in keys if keys.count(k) > 1})
            assert not repeated, f"defined twice in messages.py: {repeated}"
