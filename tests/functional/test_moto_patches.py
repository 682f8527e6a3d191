"""The moto patches: installed once, undone completely, and refused plainly if moto changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reelscribe.errors import MotoChangedError, TemplateError
from reelscribe.runtime import local as runtime
from reelscribe.runtime import moto_patches
from reelscribe.runtime.moto_patches import aws_parity, wait_states

ROOT = Path(__file__).resolve().parents[2]


def test_install_then_uninstall_puts_back_what_was_replaced() -> None:
    # Given what moto has before the patches
    patch = wait_states.PATCHES[0]
    original = vars(patch.owner)[patch.name]
    # When they are installed twice and uninstalled as often
    moto_patches.install()
    moto_patches.install()
    patched = vars(patch.owner)[patch.name]
    moto_patches.uninstall()
    still = vars(patch.owner)[patch.name]
    moto_patches.uninstall()
    # Then they were applied once, stayed while in use, and moto has its own back
    assert patched is not original
    assert still is patched
    assert vars(patch.owner)[patch.name] is original
    assert not moto_patches.installed()


def test_install_when_moto_lacks_a_replaced_attribute_names_it_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a moto whose wait function has lost the method the Wait patch replaces
    patch = wait_states.PATCHES[0]
    monkeypatch.delattr(patch.owner, patch.name)
    untouched = aws_parity.PATCHES[0]
    before = vars(untouched.owner)[untouched.name]
    # When the patches are installed
    with pytest.raises(MotoChangedError) as raised:
        moto_patches.install()
    # Then the error names the attribute, and no other patch was applied
    assert f"{patch.owner.__qualname__}.{patch.name} is missing" in str(raised.value)
    assert vars(untouched.owner)[untouched.name] is before
    assert not moto_patches.installed()


def test_check_version_other_than_the_supported_one_says_which_to_install() -> None:
    with pytest.raises(MotoChangedError, match=r"moto 5\.3\.0 is installed.*moto 5\.2\.x"):
        moto_patches.check_version("5.3.0")
    moto_patches.check_version("5.2.9")


def test_runtime_that_fails_to_start_leaves_moto_and_the_environment_as_they_were(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a template the deployment refuses
    def refuse(*_: object) -> None:
        raise TemplateError("not deployable")

    monkeypatch.setattr(runtime, "deploy", refuse)
    monkeypatch.delenv("AWS_REGION", raising=False)
    # When the runtime starts
    with pytest.raises(TemplateError), runtime.LocalRuntime(ROOT / "template.yaml"):
        pass
    # Then the patches are undone and the environment restored
    assert not moto_patches.installed()
    assert "AWS_REGION" not in os.environ
