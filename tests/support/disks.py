"""A small real disk for the tests of what happens when one fills: a tmpfs, which root may
mount. Where mounting is not permitted the tests that ask for it are skipped and say why."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """An 8 MiB tmpfs, unmounted afterwards."""
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if mount is None or umount is None:
        pytest.skip("no mount command here to make a small disk with")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"a small disk cannot be mounted here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run([umount, "--lazy", str(disk)], check=True)
