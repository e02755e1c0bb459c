"""Finding, registering and checking the CJK fonts that official documents are printed in.

Why this module exists (measured, see ``tech-notes.md``):

* reportlab's built-in CID fonts (STSong-Light) are never embedded: on a computer without CJK
  fonts the PDF shows empty boxes. Only TrueType faces (``glyf`` outlines) are used here; they
  embed as subsets. CFF/OTF faces (Noto CJK) cannot be embedded and are rejected on load.
* No single free font has every role (there is no usable free 仿宋), so each role has a
  preference list of file names, and borrows from the other roles when its own faces are
  missing (仿宋 → 宋 → 楷 → 黑 on a stock Debian machine).
* reportlab has no per-glyph fallback: a character missing from a face prints as a box. So every
  string is checked against the cmap before drawing (:meth:`FontSet.runs`), falling back per
  character to the next face of the role, or refusing with the characters named.
* Loading a face costs 70–120 ms and 50–70 MB, so faces are registered lazily, once per process.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from store import paths
from store.documents.errors import FontNotFound, FontUnusable, MissingGlyphs
from store.i18n import normalize_lang, t


class FontRole(StrEnum):
    """The four typefaces GB/T 9704 names: 宋 (page numbers, titles), 仿宋 (body), 黑, 楷."""

    SONG = "song"
    FANGSONG = "fangsong"
    HEI = "hei"
    KAI = "kai"


class RoleName:
    """A role rendered in the language of the message around it (``{role:zh}``)."""

    def __init__(self, role: FontRole) -> None:
        self.role = role

    def __format__(self, spec: str) -> str:
        return t(f"documents.role.{self.role.value}", normalize_lang(spec))

    def __str__(self) -> str:
        return format(self, "")


class FontConfig(BaseModel):
    """Font choices from the settings file; anything left unset is found automatically."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    song: Path | None = None
    """宋体 file (.ttf/.ttc; the first face of a .ttc is used)."""
    fangsong: Path | None = None
    """仿宋 file, e.g. a copy of Windows' simfang.ttf: the body text face."""
    hei: Path | None = None
    """黑体 file: level-1 headings, table headers, 附件 labels."""
    kai: Path | None = None
    """楷体 file: level-2 headings."""
    search_dirs: tuple[Path, ...] | None = None
    """Folders searched instead of the system font folders (portable installs, tests)."""

    def path_for(self, role: FontRole) -> Path | None:
        return getattr(self, role.value)


# File-name patterns (lower case) in order of preference. Windows and macOS faces first because
# they are the real 宋/仿宋/黑/楷 designs; the free Debian faces follow.
_CANDIDATES: dict[FontRole, tuple[str, ...]] = {
    FontRole.SONG: (
        "simsun.ttc", "simsun.ttf", "stsong.ttf", "songti.ttc", "fzsyjw.ttf", "uming.ttc",
        "notoserifsc-regular.ttf", "notoserifsc[[]wght].ttf",
    ),
    FontRole.FANGSONG: (
        "simfang.ttf", "stfangso.ttf", "fangsong.ttf", "仿宋_gb2312.ttf", "fangsong_gb2312.ttf",
        "fzfsjw.ttf", "fzfsk.ttf",
    ),
    FontRole.HEI: (
        "simhei.ttf", "msyh.ttc", "msyh.ttf", "stheiti*.ttc", "stxihei.ttf",
        "hiragino sans gb.ttc", "wqy-microhei.ttc", "wqy-zenhei.ttc",
        "notosanssc-regular.ttf", "notosanssc[[]wght].ttf",
    ),
    FontRole.KAI: (
        "simkai.ttf", "stkaiti.ttf", "kaiti.ttc", "楷体_gb2312.ttf", "kaiti_gb2312.ttf",
        "ukai.ttc", "lxgwwenkai-regular.ttf",
    ),
}

# Where a role borrows from when none of its own faces is installed. 仿宋 looks closest to 宋
# (it is "imitation Song"); 楷 is the next calligraphic face; 黑 is the last resort.
_BORROW: dict[FontRole, tuple[FontRole, ...]] = {
    FontRole.SONG: (FontRole.KAI, FontRole.FANGSONG, FontRole.HEI),
    FontRole.FANGSONG: (FontRole.SONG, FontRole.KAI, FontRole.HEI),
    FontRole.HEI: (FontRole.SONG, FontRole.FANGSONG, FontRole.KAI),
    FontRole.KAI: (FontRole.FANGSONG, FontRole.SONG, FontRole.HEI),
}

# Faces that load but print boxes for characters audit documents need (tech-notes.md).
_BROKEN_FILES = ("gbsn00lp.ttf", "gkai00mp.ttf", "droidsansfallback*", "cwfs.ttf", "cwtex*")
_BROKEN_FAMILIES = ("ar pl sungtil gb", "ar pl kaitim gb", "droid sans fallback", "cwtex")

INSTALL_HINT = "apt-get install fonts-wqy-zenhei fonts-arphic-uming fonts-arphic-ukai"


def default_search_dirs() -> list[Path]:
    """The user's fonts folder under FIELDAUDIT_HOME first, then the usual places per OS.

    Resolved at call time (FIELDAUDIT_HOME may change between calls, e.g. in tests).
    """
    home = Path.home()
    dirs = [paths.home_dir() / "fonts"]
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", "C:/Windows"))
        local = os.environ.get("LOCALAPPDATA")
        dirs += [windir / "Fonts"]
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [home / "Library/Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    else:
        data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local/share")
        dirs += [data_home / "fonts", home / ".fonts", Path("/usr/local/share/fonts"),
                 Path("/usr/share/fonts")]
    return dirs


def _is_broken_file(name: str) -> bool:
    return any(fnmatch.fnmatch(name.lower(), pat) for pat in _BROKEN_FILES)


def _index_font_files(dirs: list[Path]) -> dict[str, Path]:
    """Lower-case file name → path; the first folder listed wins (the user's own fonts first)."""
    index: dict[str, Path] = {}
    for top in dirs:
        if not top.is_dir():
            continue
        for root, _subdirs, files in os.walk(top):
            for name in sorted(files):
                if name.lower().endswith((".ttf", ".ttc")):
                    index.setdefault(name.lower(), Path(root) / name)
    return index


def _find(index: dict[str, Path], pattern: str) -> list[Path]:
    if not any(ch in pattern for ch in "*?["):
        hit = index.get(pattern)
        return [hit] if hit else []
    return [index[name] for name in sorted(index) if fnmatch.fnmatch(name, pattern)]


@dataclass(frozen=True)
class FontFace:
    """One registered TrueType face: its reportlab name, file and character map."""

    name: str
    path: Path
    family: str
    postscript_name: str
    """The name PDF readers show for the embedded subset (after the ``ABCDEF+`` tag)."""
    cmap: frozenset[int] = field(repr=False)

    def covers(self, char: str) -> bool:
        return ord(char) in self.cmap


@dataclass(frozen=True)
class _Refused:
    """Why a file cannot be used; remembered so a bad file is not parsed again."""

    broken: bool
    problem: str


@cache
def _register(path: Path) -> FontFace | _Refused:
    """Load and register ``path`` once per process (the costly step: ~100 ms, ~60 MB).

    Faces reportlab cannot embed (CFF outlines, corrupt files) and faces known to print boxes
    come back as :class:`_Refused`; callers decide whether that is an error or a skip.
    """
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
    name = f"FA-{path.stem}-{digest}"
    try:
        font = TTFont(name, str(path), subfontIndex=0)
    except (TTFError, OSError, ValueError, KeyError, IndexError) as exc:
        return _Refused(False, str(exc) or type(exc).__name__)
    family, ps_name = (_text(font.face.familyName), _text(font.face.name))
    if any(bad in family.lower() for bad in _BROKEN_FAMILIES):
        return _Refused(True, family)
    pdfmetrics.registerFont(font)
    return FontFace(name, path, family, ps_name, frozenset(font.face.charToGlyph))


def _text(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


class FontSet:
    """The faces chosen for each role, in order: the first prints, the rest fill in glyphs.

    Faces are registered on first use, so a fallback face that is never needed costs nothing.
    """

    def __init__(self, chains: dict[FontRole, tuple[Path, ...]]) -> None:
        self._chains = chains
        self._char_face: dict[tuple[FontRole, str], FontFace | None] = {}

    def faces(self, role: FontRole) -> Iterator[FontFace]:
        """The usable faces for ``role``, best first (files that fail to load are skipped)."""
        for path in self._chains[role]:
            face = _register(path)
            if isinstance(face, FontFace):
                yield face

    def primary(self, role: FontRole) -> FontFace:
        for face in self.faces(role):
            return face
        raise _not_found()

    def describe(self) -> dict[FontRole, str]:
        """``{role: "AR PL UMing CN (/usr/share/…/uming.ttc)"}`` for settings screens and logs."""
        out = {}
        for role in FontRole:
            face = self.primary(role)
            out[role] = f"{face.family} ({face.path})"
        return out

    def missing_glyphs(self, text: str, role: FontRole) -> set[str]:
        """Characters of ``text`` the role's primary face has no glyph for (line breaks and
        tabs, which are never drawn, ignored). :meth:`runs` fills these from other faces."""
        face = self.primary(role)
        return {ch for ch in text if ch not in "\n\r\t" and not face.covers(ch)}

    def face_for_char(self, char: str, role: FontRole) -> FontFace | None:
        """The first face of ``role`` that has ``char``; ``None`` when no face has it."""
        key = (role, char)
        if key not in self._char_face:
            found = None
            for face in self.faces(role):
                if face.covers(char):
                    found = face
                    break
            self._char_face[key] = found
        return self._char_face[key]

    def check(self, text: str, role: FontRole) -> None:
        """Refuse ``text`` if some character has no glyph in any face of ``role``."""
        missing = sorted({ch for ch in text if self.face_for_char(ch, role) is None})
        if missing:
            chars = "、".join(f"“{ch}”(U+{ord(ch):04X})" for ch in missing)
            faces = ", ".join(f.family for f in self.faces(role))
            raise MissingGlyphs("documents.missing_glyphs", chars=chars,
                                role=RoleName(role), faces=faces)

    def runs(self, text: str, role: FontRole) -> list[tuple[FontFace, str]]:
        """Split ``text`` into runs that one face can print, after :meth:`check`."""
        self.check(text, role)
        out: list[tuple[FontFace, str]] = []
        for ch in text:
            face = self.face_for_char(ch, role)
            assert face is not None
            if out and out[-1][0] is face:
                out[-1] = (face, out[-1][1] + ch)
            else:
                out.append((face, ch))
        return out


def _configured(config: FontConfig, role: FontRole) -> Path | None:
    path = config.path_for(role)
    if path is None:
        return None
    path = path.expanduser()
    if not path.is_file():
        raise FontUnusable("documents.font_file_missing", path=str(path), role=RoleName(role))
    face = _Refused(True, path.name) if _is_broken_file(path.name) else _register(path)
    if isinstance(face, _Refused) and face.broken:
        raise FontUnusable("documents.font_broken", path=str(path), role=RoleName(role))
    if isinstance(face, _Refused):
        raise FontUnusable("documents.font_unreadable", path=str(path), role=RoleName(role),
                           problem=face.problem)
    return path


def find_fonts(config: FontConfig | None = None) -> FontSet:
    """Choose faces for every role from ``config`` and the font folders.

    Configured files are checked at once (a wrong path is the user's to fix, so it is an error,
    not a silent fallback). Found files are only registered when first used.

    Raises:
        FontNotFound: no CJK TrueType face at all; the message says how to install one.
        FontUnusable: a configured file is missing, unreadable or known to be broken.
    """
    config = config or FontConfig()
    dirs = list(config.search_dirs) if config.search_dirs is not None else default_search_dirs()
    index = _index_font_files(dirs)
    own: dict[FontRole, list[Path]] = {}
    for role in FontRole:
        configured = _configured(config, role)
        found = [p for pat in _CANDIDATES[role] for p in _find(index, pat)]
        own[role] = [configured] if configured else []
        own[role] += [p for p in found if not _is_broken_file(p.name)]
    chains: dict[FontRole, tuple[Path, ...]] = {}
    for role in FontRole:
        chain: list[Path] = []
        for path in [*own[role], *(p for r in _BORROW[role] for p in own[r])]:
            if path not in chain:
                chain.append(path)
        chains[role] = tuple(chain)
    fonts = FontSet(chains)
    # Every chain holds every face found, so one loadable face means every role can print.
    fonts.primary(FontRole.FANGSONG)
    return fonts


def _not_found() -> FontNotFound:
    return FontNotFound("documents.no_cjk_font", hint=INSTALL_HINT,
                        folder=str(paths.home_dir() / "fonts"))
