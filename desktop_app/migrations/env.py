"""Alembic environment: runs on the connection Group Desk hands over in cfg.attributes."""

from __future__ import annotations

from typing import Any

from alembic import context

from desktop_app.models import Base

# Tables made by raw SQL that the models do not describe: the SQLite full-text index and
# its shadow tables. Alembic must neither create nor drop them when comparing.
UNMODELLED_TABLE_PREFIXES = ("person_fts",)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    return not (type_ == "table" and name and name.startswith(UNMODELLED_TABLE_PREFIXES))


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Group Desk runs migrations on its own connection only")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
