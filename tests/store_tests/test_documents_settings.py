"""Where documents go and which fonts they use, from settings.toml and the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import paths
from store.documents.fonts import FontRole, find_fonts
from store.documents.printing import font_config, output_dir
from store.errors import InvalidInput


def write_settings(text: str) -> Path:
    path = paths.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_output_dir_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert output_dir() == paths.home_dir() / "documents"  # FIELDAUDIT_HOME is set in tests
    write_settings(f'documents_dir = "{(tmp_path / "文书").as_posix()}"\n')
    assert output_dir() == tmp_path / "文书"
    monkeypatch.setenv("FIELDAUDIT_DOCUMENTS_DIR", str(tmp_path / "env"))
    assert output_dir() == tmp_path / "env"


def test_font_files_from_settings_and_environment(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    auto = find_fonts(font_config())
    kai = next(auto.faces(FontRole.KAI)).path
    write_settings(f'[fonts]\nfangsong = "{kai.as_posix()}"\n')
    config = font_config()
    assert config.fangsong == kai
    assert next(find_fonts(config).faces(FontRole.FANGSONG)).path == kai
    song = next(auto.faces(FontRole.SONG)).path
    monkeypatch.setenv("FIELDAUDIT_FONT_FANGSONG", str(song))
    assert font_config().fangsong == song  # the environment wins over the file


@pytest.mark.parametrize("text", ["[fonts\n", '[fonts]\nserif = "x.ttf"\n'])
def test_bad_settings_say_which_file(text: str) -> None:
    path = write_settings(text)
    with pytest.raises(InvalidInput) as err:
        font_config()
    assert str(path) in str(err.value)
