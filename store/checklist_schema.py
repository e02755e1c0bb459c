"""Write the JSON schemas of checklist templates and caps files: ``python -m store.checklist_schema``.

The schemas let an editor (VS Code with a TOML extension, taplo) check a file while it is being
written; each template starts with ``#:schema ./schema/template.schema.json``. They are
generated from the pydantic models, never edited by hand, and a test fails when the committed
files no longer match the models.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from store.caps import CapsFile
from store.checklist import Template
from store.paths import checklists_dir

SCHEMAS: dict[str, type[BaseModel]] = {
    "template.schema.json": Template,
    "caps.schema.json": CapsFile,
}


def schema_dir() -> Path:
    return checklists_dir() / "schema"


def render_schema(model: type[BaseModel]) -> str:
    """The schema as committed: sorted keys, 2-space indent, UTF-8 text, trailing newline."""
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(target: Path | None = None) -> list[Path]:
    target = target or schema_dir()
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = target / name
        path.write_text(render_schema(model), encoding="utf-8", newline="\n")
        written.append(path)
    return written


def main() -> int:
    for path in write_schemas():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
