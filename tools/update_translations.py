"""Refresh the Chinese catalogue: pyside6-lupdate over ui/, then pyside6-lrelease to .qm.

Usage: python tools/update_translations.py [--check]
Existing translations are kept; new strings arrive as "unfinished" and must be translated
in resources/translations/paddock_zh_CN.ts (Qt Linguist or a text editor) before commit.
--check only reports (exit 1) when a string is untranslated, without changing files.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "paddock_zh_CN.ts"
QM = TS.with_suffix(".qm")


def tool(name: str) -> str:
    """The PySide6 tool next to this interpreter (the venv), else on PATH."""
    local = Path(sys.executable).with_name(name)
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found; install pyside6-essentials")
    return found


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py"))


def unfinished(ts: Path) -> list[str]:
    """Source texts whose translation is missing, empty or marked unfinished/vanished."""
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            tr = message.find("translation")
            kind = tr.get("type") if tr is not None else "missing"
            if kind in ("obsolete", "vanished"):
                continue
            numerus = tr.findall("numerusform") if tr is not None else []
            text = (
                "".join(n.text or "" for n in numerus)
                if numerus
                else (tr.text or "" if tr is not None else "")
            )
            if kind == "unfinished" or not text.strip():
                missing.append(f"{name}: {message.findtext('source', '')}")
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report untranslated strings only")
    args = parser.parse_args(argv)
    if not args.check:
        TS.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                tool("pyside6-lupdate"),
                *sources(),
                "-ts",
                str(TS.relative_to(ROOT)),
                "-no-obsolete",
                "-locations",
                "none",  # line numbers would churn on every edit
                "-source-language",
                "en",
                "-target-language",
                "zh_CN",
            ],
            cwd=ROOT,
            check=True,
        )
        subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(QM)], cwd=ROOT, check=True)
    missing = unfinished(TS)
    for line in missing:
        print(f"untranslated: {line}")
    print(f"{TS.name}: {len(missing)} untranslated")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
