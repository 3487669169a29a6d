"""Fixtures shared by the whole suite: the shipped content, and broken copies of it made per test."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from shared.content import Content, content_path, shipped_content


@pytest.fixture(scope="session")
def content() -> Content:
    return shipped_content()


@pytest.fixture(scope="session")
def content_data() -> dict[str, Any]:
    return yaml.safe_load(content_path().read_text(encoding="utf-8"))


@pytest.fixture
def write_content(tmp_path: Path, content_data: dict[str, Any]) -> Callable[[Callable[[dict], None]], Path]:
    """Write a copy of the shipped content after `edit` changed it; returns the file path."""

    def write(edit: Callable[[dict], None], name: str = "en-US.yaml") -> Path:
        data = copy.deepcopy(content_data)
        edit(data)
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    return write
