"""Fixtures for the frameworks tests: the real framework file, copies to change, people."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings

from howgood.frameworks.services import LoadResult, framework_load

QIF_PATH = Path(settings.BASE_DIR) / "data" / "frameworks" / "qif-2019.yaml"


@pytest.fixture
def qif_data() -> dict[str, Any]:
    """The real framework file, read as plain data for tests to change and write out."""
    return yaml.safe_load(QIF_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def write_framework(tmp_path: Path) -> Callable[..., Path]:
    """Write framework data (or raw text) to a YAML file; returns its path."""

    def write(data: dict[str, Any] | str, name: str = "qif-2019.yaml") -> Path:
        path = tmp_path / name
        text = (
            data
            if isinstance(data, str)
            else yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        )
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def qif(db: None) -> LoadResult:
    """The real framework, loaded."""
    return framework_load(path=QIF_PATH, actor=None)


@pytest.fixture
def user(db: None) -> Any:
    from howgood.accounts.models import User

    return User.objects.create_user(
        email="reader@example.org",
        password="correct horse battery staple",
        full_name="Rhona Reader",
    )


@pytest.fixture
def signed_in(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client
