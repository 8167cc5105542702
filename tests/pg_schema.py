"""A throwaway PostgreSQL schema per test, for the tests that need a live server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text


@contextmanager
def empty_schema(base_url: str, prefix: str) -> Iterator[str]:
    """A URL whose connections see only a new, empty schema, dropped afterwards."""
    name = prefix + uuid.uuid4().hex[:12]
    admin = create_engine(base_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={name}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()
