"""Rekognition's face collections and face search, over dlib's face descriptors.

CreateCollection, DescribeCollection, ListCollections, DeleteCollection, IndexFaces, ListFaces,
DeleteFaces and SearchFacesByImage, with the service's shapes, limits and errors; the video
job StartFaceSearch/GetFaceSearch is in reelscribe.emulators.rekognition and matches the faces
of the shared video pass with `person_matches`. Faces are found by the same detector as
DetectFaces; the collections live in a FaceCollections store (see face_collection.py).

IndexFaces indexes the largest faces first, at most MaxFaces (EXCEEDS_MAX_FACES for the rest);
a QualityFilter other than NONE leaves out faces under 40 pixels on their shorter side
(SMALL_BOUNDING_BOX) and, for MEDIUM and HIGH, faces found with less than 90 or 95 confidence
(LOW_CONFIDENCE). SearchFacesByImage searches the largest face; a picture with none is
InvalidParameterException, as on AWS.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import botocore.session

from ..runtime.interception import Router, ServiceError
from .face_collection import FaceCollections
from .rekognition_images import ImageApis

if TYPE_CHECKING:
    # The detector and descriptors (numpy, OpenCV, dlib) are imported by the calls that use
    # them: managing collections, and a run's start, need none of them.
    from ..vision.face_descriptors import Descriptor

MODEL_VERSION = "7.0"
MAX_INDEXED = 100  # IndexFaces indexes at most 100 faces of an image
_MIN_SIDE = {"NONE": 0, "AUTO": 40, "LOW": 40, "MEDIUM": 40, "HIGH": 40}
_MIN_CONFIDENCE = {"NONE": 0.0, "AUTO": 0.0, "LOW": 0.0, "MEDIUM": 90.0, "HIGH": 95.0}
_NO_FACE = "There are no faces in the image. Should be at least 1."
_FACE_FIELDS = ("FaceId", "BoundingBox", "ImageId", "ExternalImageId", "Confidence")


@functools.cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """The API's own patterns for the identifiers, from botocore's model."""
    model = botocore.session.get_session().get_service_model("rekognition")
    shape = model.operation_model("IndexFaces").input_shape
    assert shape is not None
    members = shape.members
    return {
        name: re.compile(str(members[name].metadata["pattern"]))
        for name in ("CollectionId", "ExternalImageId")
    }


class FaceCollectionApis:
    def __init__(
        self, images: ImageApis, collections: FaceCollections, region: str, account: str
    ) -> None:
        self._images = images
        self.collections = collections
        self._region = region
        self._account = account

    def register(self, router: Router) -> None:
        for operation, answer in (
            ("CreateCollection", self.create_collection),
            ("DescribeCollection", self.describe_collection),
            ("ListCollections", self.list_collections),
            ("DeleteCollection", self.delete_collection),
            ("IndexFaces", self.index_faces),
            ("ListFaces", self.list_faces),
            ("DeleteFaces", self.delete_faces),
            ("SearchFacesByImage", self.search_faces_by_image),
        ):
            router.answer("rekognition", operation, answer)

    # ------------------------------------------------------------------ collections
    def create_collection(self, params: dict[str, Any]) -> dict[str, Any]:
        name = collection_id(params)
        arn = f"aws:rekognition:{self._region}:{self._account}:collection/{name}"
        with self.collections.state(write=True) as data:
            if name in data["collections"]:
                raise ServiceError(
                    "ResourceAlreadyExistsException", f"The collection id: {name} already exists"
                )
            data["collections"][name] = {
                "arn": arn,
                "created": datetime.now(UTC).timestamp(),
                "faces": [],
            }
        return {"StatusCode": 200, "CollectionArn": arn, "FaceModelVersion": MODEL_VERSION}

    def describe_collection(self, params: dict[str, Any]) -> dict[str, Any]:
        name = collection_id(params)
        with self.collections.state() as data:
            found = _collection(data, name)
            return {
                "FaceCount": len(found["faces"]),
                "FaceModelVersion": MODEL_VERSION,
                "CollectionARN": found["arn"],
                "CreationTimestamp": datetime.fromtimestamp(found["created"], UTC),
                "UserCount": 0,
            }

    def list_collections(self, _params: dict[str, Any]) -> dict[str, Any]:
        with self.collections.state() as data:
            names = sorted(data["collections"])
        return {"CollectionIds": names, "FaceModelVersions": [MODEL_VERSION] * len(names)}

    def delete_collection(self, params: dict[str, Any]) -> dict[str, Any]:
        name = collection_id(params)
        with self.collections.state(write=True) as data:
            _collection(data, name)
            del data["collections"][name]
        return {"StatusCode": 200}

    # ------------------------------------------------------------------ faces
    def index_faces(self, params: dict[str, Any]) -> dict[str, Any]:
        name = collection_id(params)
        external = params.get("ExternalImageId")
        if external is not None and not _patterns()["ExternalImageId"].fullmatch(str(external)):
            raise ServiceError(
                "InvalidParameterException",
                "ExternalImageId must match [a-zA-Z0-9_.\\-:]+, 255 characters at most",
            )
        most = params.get("MaxFaces", MAX_INDEXED)
        if not isinstance(most, int) or most < 1:
            raise ServiceError("InvalidParameterException", "MaxFaces must be at least 1")
        quality = str(params.get("QualityFilter", "AUTO"))
        if quality not in _MIN_SIDE:
            raise ServiceError("InvalidParameterException", f"QualityFilter {quality} is unknown")
        with self.collections.state() as data:
            _collection(data, name)  # before the picture is read, as the service checks
        from ..vision import face_descriptors, faces

        picture = self._images.picture(params)
        height, width = picture.shape[:2]
        found = largest_first(faces.detect(picture))
        image_id = str(uuid.uuid4())
        records: list[dict[str, Any]] = []
        stored: list[dict[str, Any]] = []
        unindexed: list[dict[str, Any]] = []
        for detail in found:
            reasons = _quality_reasons(detail, quality, width, height)
            if not reasons and len(records) >= min(most, MAX_INDEXED):
                reasons = ["EXCEEDS_MAX_FACES"]
            if reasons:
                unindexed.append({"Reasons": reasons, "FaceDetail": detail})
                continue
            face = {
                "FaceId": str(uuid.uuid4()),
                "BoundingBox": detail["BoundingBox"],
                "ImageId": image_id,
                **({"ExternalImageId": str(external)} if external is not None else {}),
                "Confidence": detail["Confidence"],
                "IndexFacesModelVersion": MODEL_VERSION,
            }
            vector = face_descriptors.describe(picture, detail["BoundingBox"])
            records.append({"Face": face, "FaceDetail": detail})
            stored.append({**face, "descriptor": [round(float(v), 6) for v in vector]})
        if stored:
            with self.collections.state(write=True) as data:
                _collection(data, name)["faces"].extend(stored)
        return {
            "FaceRecords": records,
            "FaceModelVersion": MODEL_VERSION,
            "UnindexedFaces": unindexed,
        }

    def list_faces(self, params: dict[str, Any]) -> dict[str, Any]:
        name = collection_id(params)
        limit = params.get("MaxResults", 1000)
        if not isinstance(limit, int) or not 0 <= limit <= 4096:
            raise ServiceError("InvalidParameterException", "MaxResults must be 0 to 4096")
        wanted = set(params.get("FaceIds") or [])
        with self.collections.state() as data:
            stored = _collection(data, name)["faces"]
        listed = [_face(f) for f in stored if not wanted or f["FaceId"] in wanted]
        start = _page_start(params.get("NextToken"), name, len(listed))
        answer: dict[str, Any] = {
            "Faces": listed[start : start + limit],
            "FaceModelVersion": MODEL_VERSION,
        }
        if start + limit < len(listed):
            answer["NextToken"] = _token(name, start + limit)
        return answer

    def delete_faces(self, params: dict[str, Any]) -> dict[str, Any]:
        name = collection_id(params)
        ids = [str(i) for i in params.get("FaceIds") or []]
        if not 1 <= len(ids) <= 4096:
            raise ServiceError("InvalidParameterException", "FaceIds must hold 1 to 4096 ids")
        with self.collections.state(write=True) as data:
            found = _collection(data, name)
            present = {f["FaceId"] for f in found["faces"]}
            found["faces"] = [f for f in found["faces"] if f["FaceId"] not in ids]
        return {
            "DeletedFaces": [i for i in ids if i in present],
            "UnsuccessfulFaceDeletions": [
                {"FaceId": i, "Reasons": ["FACE_NOT_FOUND"]} for i in ids if i not in present
            ],
        }

    # ------------------------------------------------------------------ search
    def search_faces_by_image(self, params: dict[str, Any]) -> dict[str, Any]:
        name = collection_id(params)
        threshold_ = threshold(params)
        most = params.get("MaxFaces", 80)
        if not isinstance(most, int) or not 1 <= most <= 4096:
            raise ServiceError("InvalidParameterException", "MaxFaces must be 1 to 4096")
        with self.collections.state() as data:
            stored = _collection(data, name)["faces"]
        from ..vision import face_descriptors, faces

        picture = self._images.picture(params)
        found = largest_first(faces.detect(picture))
        if not found:
            raise ServiceError("InvalidParameterException", _NO_FACE)
        searched = found[0]
        vector = face_descriptors.describe(picture, searched["BoundingBox"])
        return {
            "SearchedFaceBoundingBox": searched["BoundingBox"],
            "SearchedFaceConfidence": searched["Confidence"],
            "FaceMatches": matches(vector, stored, threshold_)[:most],
            "FaceModelVersion": MODEL_VERSION,
        }


# ---------------------------------------------------------------------- shared rules
def collection_id(params: dict[str, Any]) -> str:
    name = str(params.get("CollectionId") or "")
    if not _patterns()["CollectionId"].fullmatch(name) or len(name) > 255:
        raise ServiceError("InvalidParameterException", "CollectionId must match [a-zA-Z0-9_.\\-]+")
    return name


def stored_faces(collections: FaceCollections, name: str) -> list[dict[str, Any]]:
    """The collection's faces with their descriptors; ResourceNotFoundException if none."""
    with collections.state() as data:
        return list(_collection(data, name)["faces"])


def largest_first(details: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(details, key=lambda d: -d["BoundingBox"]["Width"] * d["BoundingBox"]["Height"])


def matches(
    vector: Descriptor, stored: list[dict[str, Any]], threshold: float
) -> list[dict[str, Any]]:
    """FaceMatches for a descriptor: the stored faces at or over `threshold`, most similar first."""
    if not stored:
        return []
    import numpy as np

    from ..vision import face_descriptors

    known = np.asarray([f["descriptor"] for f in stored], dtype=np.float32)
    gaps = np.linalg.norm(known - np.asarray(vector, dtype=np.float32), axis=1)
    found = []
    for face, gap in zip(stored, gaps.tolist(), strict=True):
        similarity = face_descriptors.similarity(gap)
        if similarity >= threshold:
            found.append({"Similarity": similarity, "Face": _face(face)})
    return sorted(found, key=lambda m: -m["Similarity"])


def threshold(params: dict[str, Any]) -> float:
    from ..vision import face_descriptors

    value = params.get("FaceMatchThreshold", face_descriptors.MATCH_SIMILARITY)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
        raise ServiceError("InvalidParameterException", "FaceMatchThreshold must be 0 to 100")
    return float(value)


def _collection(data: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] | None = data["collections"].get(name)
    if found is None:
        raise ServiceError(
            "ResourceNotFoundException", f"The collection id: {name} does not exist", 400
        )
    return found


def _face(stored: dict[str, Any]) -> dict[str, Any]:
    face = {key: stored[key] for key in _FACE_FIELDS if key in stored}
    face["IndexFacesModelVersion"] = MODEL_VERSION
    return face


def _quality_reasons(detail: dict[str, Any], quality: str, width: int, height: int) -> list[str]:
    box = detail["BoundingBox"]
    reasons = []
    if min(box["Width"] * width, box["Height"] * height) < _MIN_SIDE[quality]:
        reasons.append("SMALL_BOUNDING_BOX")
    if detail["Confidence"] < _MIN_CONFIDENCE[quality]:
        reasons.append("LOW_CONFIDENCE")
    return reasons


def _token(owner: str, start: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([owner, start]).encode()).decode()


def _page_start(token: Any, owner: str, count: int) -> int:
    if token is None:
        return 0
    try:
        named, start = json.loads(base64.urlsafe_b64decode(str(token).encode()))
    except (ValueError, TypeError):
        named, start = None, -1
    if named != owner or not isinstance(start, int) or not 0 <= start <= count:
        raise ServiceError("InvalidPaginationTokenException", "Invalid pagination token")
    return start
