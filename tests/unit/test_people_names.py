"""A person's ExternalImageId: what Rekognition accepts, one per person, whatever the script."""

from __future__ import annotations

import re

import pytest

from video_pipeline.errors import InvalidPersonNameError
from video_pipeline.people import enrolment_name
from video_pipeline.person_names import person_id

EXTERNAL_IMAGE_ID = re.compile(r"[a-zA-Z0-9_.\-:]+")


@pytest.mark.parametrize("name", ["Eileen Collins", "Айлин Коллинз", "王小明", "José", "Jose"])
def test_person_id_any_script_is_a_valid_external_image_id(name: str) -> None:
    assert EXTERNAL_IMAGE_ID.fullmatch(person_id(name))
    assert len(person_id(name)) <= 255


def test_person_id_names_alike_in_ascii_stay_apart() -> None:
    ids = {person_id(n) for n in ["José", "Jose", "王小明", "王小名", "Айлин"]}
    assert len(ids) == 5


def test_person_id_case_and_spacing_name_the_same_person() -> None:
    assert person_id("Eileen  Collins") == person_id("eileen collins")


def test_enrolment_name_is_the_folder_under_known_faces() -> None:
    assert enrolment_name("known-faces/Айлин Коллинз/photo 1.jpg") == "Айлин Коллинз"


@pytest.mark.parametrize("key", ["known-faces/ /a.jpg", f"known-faces/{'x' * 101}/a.jpg"])
def test_enrolment_name_empty_or_too_long_is_refused(key: str) -> None:
    with pytest.raises(InvalidPersonNameError):
        enrolment_name(key)
