"""Every message a user can read exists in both languages, and every key the code uses exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

from store.i18n import catalogue

ROOT = Path(__file__).resolve().parents[2]
KEY_USE = re.compile(r"""(?:\bt|Error|Input|Refused|NotFound|Violation|Failed|Rejected)\(\s*f?["']([a-z_]+\.[a-z0-9_.]+)["']""")


def test_every_message_has_zh_and_en_with_the_same_placeholders() -> None:
    fmt = string.Formatter()
    for key, entry in catalogue().items():
        assert entry["zh"].strip() and entry["en"].strip(), key
        zh = {f for _, f, _, _ in fmt.parse(entry["zh"]) if f}
        en = {f for _, f, _, _ in fmt.parse(entry["en"]) if f}
        assert zh == en, f"{key}: {zh} != {en}"


def test_every_key_used_in_code_is_in_the_catalogue() -> None:
    keys = catalogue()
    missing = []
    for path in [*ROOT.joinpath("store").rglob("*.py"), *ROOT.joinpath("tui").rglob("*.py")]:
        for match in KEY_USE.finditer(path.read_text(encoding="utf-8")):
            key = match.group(1)
            if "{" in key or key.endswith("."):
                continue
            if key not in keys:
                missing.append(f"{path.relative_to(ROOT)}: {key}")
    assert not missing, missing
