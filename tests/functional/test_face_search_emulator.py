"""Face collections and face search answer a real boto3 client as Amazon Rekognition does, over
dlib's descriptors of real photographs (see tests/support/faces.py for whose)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from reelscribe.emulators.face_collection import FaceCollections
from reelscribe.emulators.rekognition import RekognitionEmulator
from reelscribe.emulators.storage import ObjectStore
from reelscribe.runtime import interception
from tests.support import faces

pytestmark = pytest.mark.slow
BUCKET = "media"
COLLECTION = "people"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return tmp_path / "library" / "faces"


@pytest.fixture
def rekognition(aws: None, library: Path) -> Iterator[Any]:
    emulator = RekognitionEmulator(ObjectStore("us-east-1"), collections=FaceCollections(library))
    router = interception.Router()
    interception.activate(router)
    emulator.register(router)
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
    try:
        yield boto3.client("rekognition", region_name="us-east-1")
    finally:
        interception.deactivate(router)
        emulator.close()


def _image(path: Path) -> dict[str, Any]:
    boto3.client("s3", region_name="us-east-1").put_object(
        Bucket=BUCKET, Key=path.name, Body=path.read_bytes()
    )
    return {"S3Object": {"Bucket": BUCKET, "Name": path.name}}


def _enroll(rekognition: Any, path: Path, person: str) -> dict[str, Any]:
    answer: dict[str, Any] = rekognition.index_faces(
        CollectionId=COLLECTION,
        Image=_image(path),
        ExternalImageId=person,
        MaxFaces=1,
        QualityFilter="AUTO",
    )
    return answer


def test_search_faces_by_image_of_another_photo_matches_the_enrolled_person_only(
    rekognition: Any, tmp_path: Path
) -> None:
    # Given Eileen Collins and the cameraman enrolled
    rekognition.create_collection(CollectionId=COLLECTION)
    eileen = _enroll(rekognition, faces.eileen_collins(tmp_path / "eileen.jpg"), "eileen")
    _enroll(rekognition, faces.cameraman(tmp_path / "cameraman.jpg"), "cameraman")
    assert len(eileen["FaceRecords"]) == 1
    # When her reframed photo is searched
    found = rekognition.search_faces_by_image(
        CollectionId=COLLECTION, Image=_image(faces.eileen_collins_reframed(tmp_path / "e2.jpg"))
    )
    # Then she alone matches, as the face indexed from her photo
    assert [m["Face"]["ExternalImageId"] for m in found["FaceMatches"]] == ["eileen"]
    assert found["FaceMatches"][0]["Face"]["FaceId"] == eileen["FaceRecords"][0]["Face"]["FaceId"]
    assert found["FaceMatches"][0]["Similarity"] >= 80


def test_search_faces_by_image_of_a_stranger_matches_no_one(
    rekognition: Any, tmp_path: Path
) -> None:
    rekognition.create_collection(CollectionId=COLLECTION)
    _enroll(rekognition, faces.eileen_collins(tmp_path / "eileen.jpg"), "eileen")
    _enroll(rekognition, faces.cameraman(tmp_path / "cameraman.jpg"), "cameraman")
    for picture in (faces.stranger(tmp_path / "s.jpg"), faces.cameraman(tmp_path / "c2.png")):
        found = rekognition.search_faces_by_image(CollectionId=COLLECTION, Image=_image(picture))
        names = [m["Face"]["ExternalImageId"] for m in found["FaceMatches"]]
        assert names == ([] if picture.name == "s.jpg" else ["cameraman"])


def test_index_faces_with_max_faces_one_indexes_the_largest_and_lists_the_rest(
    rekognition: Any, tmp_path: Path
) -> None:
    rekognition.create_collection(CollectionId=COLLECTION)
    answer = _enroll(rekognition, faces.group_photo(tmp_path / "group.jpg"), "eileen")
    assert len(answer["FaceRecords"]) == 1
    assert answer["FaceRecords"][0]["Face"]["BoundingBox"]["Left"] < 0.5  # hers, on the left
    assert [u["Reasons"] for u in answer["UnindexedFaces"]] == [["EXCEEDS_MAX_FACES"]]


def test_collection_persists_on_disk_and_delete_faces_removes_descriptors(
    rekognition: Any, tmp_path: Path, library: Path
) -> None:
    # Given a face indexed
    rekognition.create_collection(CollectionId=COLLECTION)
    face_id = _enroll(rekognition, faces.eileen_collins(tmp_path / "e.jpg"), "eileen")[
        "FaceRecords"
    ][0]["Face"]["FaceId"]
    # Then another store on the same folder (another process) sees it
    assert FaceCollections(library).has_faces()
    listed = rekognition.list_faces(CollectionId=COLLECTION)["Faces"]
    assert [f["FaceId"] for f in listed] == [face_id]
    # When it is deleted, with one unknown id
    answer = rekognition.delete_faces(CollectionId=COLLECTION, FaceIds=[face_id, "missing"])
    assert answer["DeletedFaces"] == [face_id]
    assert answer["UnsuccessfulFaceDeletions"][0]["Reasons"] == ["FACE_NOT_FOUND"]
    # Then its descriptor is gone from the file
    assert face_id not in (library / "collections.json").read_text()
    assert not FaceCollections(library).has_faces()


def test_collection_calls_raise_the_service_errors(rekognition: Any, tmp_path: Path) -> None:
    def code(call: Any, **kwargs: Any) -> str:
        with pytest.raises(ClientError) as raised:
            call(**kwargs)
        return str(raised.value.response["Error"]["Code"])

    assert code(rekognition.list_faces, CollectionId="nope") == "ResourceNotFoundException"
    rekognition.create_collection(CollectionId=COLLECTION)
    assert code(rekognition.create_collection, CollectionId=COLLECTION) == (
        "ResourceAlreadyExistsException"
    )
    assert code(rekognition.create_collection, CollectionId="bad name") == (
        "InvalidParameterException"
    )
    photo = _image(faces.eileen_collins(tmp_path / "e.jpg"))
    assert code(
        rekognition.index_faces, CollectionId=COLLECTION, Image=photo, ExternalImageId="Ève"
    ) == ("InvalidParameterException")
    no_face = _image(faces.no_face(tmp_path / "coffee.jpg"))
    assert code(rekognition.search_faces_by_image, CollectionId=COLLECTION, Image=no_face) == (
        "InvalidParameterException"
    )
    assert rekognition.index_faces(CollectionId=COLLECTION, Image=no_face)["FaceRecords"] == []


def test_face_search_on_clip_names_each_person_only_where_they_appear(
    rekognition: Any, tmp_path: Path
) -> None:
    # Given both people enrolled and a clip of her, a stranger, then him
    rekognition.create_collection(CollectionId=COLLECTION)
    _enroll(rekognition, faces.eileen_collins(tmp_path / "e.jpg"), "eileen")
    _enroll(rekognition, faces.cameraman(tmp_path / "c.jpg"), "cameraman")
    clip = faces.make_people_clip(tmp_path / "clip")
    # When a face search runs over it
    video = _image(clip)
    job = rekognition.start_face_search(Video=video, CollectionId=COLLECTION)["JobId"]
    deadline = time.monotonic() + 180
    while (answer := rekognition.get_face_search(JobId=job))["JobStatus"] == "IN_PROGRESS":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    # Then each is named within their own seconds, and the stranger is no one
    assert answer["JobStatus"] == "SUCCEEDED"
    seen: dict[str, list[float]] = {}
    for person in answer["Persons"]:
        name = person["FaceMatches"][0]["Face"]["ExternalImageId"]
        seen.setdefault(name, []).append(person["Timestamp"] / 1000)
    assert set(seen) == {"eileen", "cameraman"}
    for name, span in (("eileen", (0, 4)), ("cameraman", (8, 12))):
        assert all(span[0] <= t < span[1] for t in seen[name]), (name, seen[name])
        assert len(seen[name]) >= 3
