"""Checklist templates and provincial caps as published into a database.

Template files (``checklists/``) are the source; publishing copies a version into the
``templates`` table, where it is immutable: an audit names the template id and version it
started with and always reads that exact body, so publishing a newer version never changes an
audit under way. Caps are stored the same way, one row per province and version.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import TYPE_CHECKING

from store.caps import CapsFile, builtin_caps, cap_in_force
from store.checklist import Item, Template, builtin_templates
from store.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from store.db import AuditStore


def publish_template(store: AuditStore, acting: str | None, template: Template) -> bool:
    """Store ``template`` if this id+version is new; refuse a changed body under an old version."""
    body = template.model_dump_json()
    digest = hashlib.sha256(body.encode()).hexdigest()
    row_id = f"{template.id}@{template.version}"
    existing = store.db.execute("SELECT sha256 FROM templates WHERE id = ?", [row_id]).fetchone()
    if existing:
        if existing[0] != digest:
            raise InvalidInput("templates.version_changed", id=template.id,
                               version=template.version)
        return False
    with store.write(acting) as w:
        w.insert("templates", {"id": row_id, "template_id": template.id,
                               "version": template.version, "title": template.title,
                               "body": body, "sha256": digest})
    return True


def publish_caps(store: AuditStore, acting: str | None, caps: CapsFile) -> bool:
    row_id = f"{caps.province_code}@{caps.version}"
    if store.db.execute("SELECT 1 FROM caps WHERE id = ?", [row_id]).fetchone():
        return False
    with store.write(acting) as w:
        w.insert("caps", {"id": row_id, "province_code": caps.province_code,
                          "version": caps.version,
                          "effective_from": caps.effective_from.isoformat(),
                          "body": caps.model_dump_json()})
    return True


def publish_builtins(store: AuditStore, acting: str | None) -> int:
    """Publish every shipped template and caps file not yet in the database."""
    added = sum(publish_template(store, acting, t) for t in builtin_templates())
    return added + sum(publish_caps(store, acting, c) for c in builtin_caps())


def get_template(store: AuditStore, template_id: str, version: int) -> Template:
    row = store.db.execute(
        "SELECT body FROM templates WHERE template_id = ? AND version = ? AND deleted = 0",
        [template_id, version],
    ).fetchone()
    if row is None:
        raise NotFound("templates.unknown", id=template_id, version=version)
    return Template.model_validate_json(row[0])


def latest_templates(store: AuditStore) -> list[Template]:
    """The newest published version of each template, by title."""
    rows = store.db.execute(
        "SELECT body FROM templates t WHERE deleted = 0 AND version = "
        "(SELECT max(version) FROM templates u WHERE u.template_id = t.template_id "
        " AND u.deleted = 0) ORDER BY template_id"
    ).fetchall()
    return [Template.model_validate_json(r[0]) for r in rows]


def template_items(template: Template) -> list[tuple[str, Item]]:
    """(area code, item) pairs in checklist order."""
    return [(area.code, item) for area in template.areas for item in area.items]


def stored_caps(store: AuditStore) -> list[CapsFile]:
    rows = store.db.execute("SELECT body FROM caps WHERE deleted = 0").fetchall()
    return [CapsFile.model_validate_json(r[0]) for r in rows]


def caps_for(store: AuditStore, province_code: str, on: date) -> CapsFile | None:
    """The caps in force in ``province_code`` on ``on`` (stored versions, falling back to shipped)."""
    return cap_in_force(stored_caps(store) or builtin_caps(), province_code, on)
