"""Fixtures shared by every tier: the template, and the template's resources in moto."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelscribe.speech.model_cache import CACHE_ENV_VAR
from reelscribe.template import Template

# Fixtures kept beside the helpers they go with, for any tier to ask for.
pytest_plugins = ["tests.support.disks"]

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "template.yaml"
# Tests never write into the user's own cache: the assembled speech model goes to one folder
# per user under the temporary directory, kept between sessions so it is built once, and
# shared safely by concurrent sessions (assembly takes a file lock).
os.environ[CACHE_ENV_VAR] = str(Path(tempfile.gettempdir()) / f"reelscribe-tests-{os.getuid()}")


@pytest.fixture
def template() -> Template:
    return Template.load(TEMPLATE)


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials that can never reach a real account."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def aws(aws_credentials: None) -> Iterator[None]:
    """moto, with credentials that can never reach a real account."""
    from moto import mock_aws

    with mock_aws():
        yield
