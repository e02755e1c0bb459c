"""Where fieldaudit keeps and finds its files; resolved at call time, never at import time.

``FIELDAUDIT_HOME`` relocates everything the app writes (tests and portable installs use it);
otherwise the per-user data directory from platformdirs is used. Shipped data (checklists,
the sample county) is found next to the source tree in a checkout, or inside the installed
package (``store/_data``) in a wheel install.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "fieldaudit"
_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_DIR = _PACKAGE_DIR.parent


def home_dir() -> Path:
    override = os.environ.get("FIELDAUDIT_HOME")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return home_dir() / "fieldaudit.db"


def settings_path() -> Path:
    return home_dir() / "settings.toml"


def exports_dir() -> Path:
    return home_dir() / "exports"


def _shipped(relative: str) -> Path:
    repo = _REPO_DIR / relative
    if repo.exists():
        return repo
    return _PACKAGE_DIR / "_data" / Path(relative).name


def checklists_dir() -> Path:
    return _shipped("checklists")


def sample_db_path() -> Path:
    return _shipped("sample_db/sample_county.db")
