"""Shared pytest fixtures."""

from collections.abc import Iterator

import pytest

from tests.feedserver import FeedServer


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A fresh local HTTP feed server (127.0.0.1, ephemeral port) per test."""
    with FeedServer() as server:
        yield server
