"""Known faces: enrolling a person's photo in the face collection, the people table that keeps
their display names, and removing a person everywhere.

A person's faces carry an ExternalImageId derived from their name (Rekognition allows only
[a-zA-Z0-9_.\\-:]+ there), so several photos of one person are kept together and a match names
them; the display name, in any script, is in the people table. Its rows, keyed on personId:
``entry = "person"`` holds the name; ``entry = "photo#<ETag>"`` one enrolled photo with its
FaceId, so the same photo enrolled twice is recognised and indexed once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NoReturn

from botocore.exceptions import ClientError
from pydantic import BaseModel

from .errors import (
    AmbiguousFaceError,
    FaceCollectionError,
    NoFaceFoundError,
    PersonNotFoundError,
    UnreadableImageError,
    VisionServiceBusyError,
)
from .person_names import person_id, person_name
from .search_index import Library, remove_person_moments
from .upload import KNOWN_FACES_PREFIX, Video

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_rekognition import RekognitionClient
    from mypy_boto3_s3 import S3Client

PERSON_ENTRY = "person"
PHOTO_ENTRY = "photo#"
# Another face at least four fifths the largest one's size (0.8 x 0.8 of its area) makes the
# photo ambiguous: two people side by side; one face well behind another is not a rival.
RIVAL_AREA = 0.64
_BUSY = {"ThrottlingException", "ProvisionedThroughputExceededException", "InternalServerError"}
_GONE = {"NoSuchKey", "NoSuchVersion", "NoSuchBucket"}  # a photo deleted already
_UNREADABLE = {"InvalidImageFormatException", "ImageTooLargeException", "InvalidS3ObjectException"}


class EnrolmentRequest(BaseModel):
    """Enroll Face's input: the parsed upload and its ETag, which tells a photo sent again."""

    video: Video
    etag: str


class RemovalRequest(BaseModel):
    name: str


# ---------------------------------------------------------------------- names
def enrolment_name(key: str) -> str:
    """`known-faces/<Name>/<file>` enrols a photo of Name."""
    folder = key.removeprefix(KNOWN_FACES_PREFIX).rsplit("/", 1)[0]
    return person_name(folder)


# ---------------------------------------------------------------------- enrolling
def _raise_for(error: ClientError, operation: str) -> NoReturn:
    code = str(error.response.get("Error", {}).get("Code", ""))
    message = str(error.response.get("Error", {}).get("Message", "")) or code
    if code in _BUSY:
        raise VisionServiceBusyError(f"{operation}: {code}: {message}") from error
    if code in _UNREADABLE:
        raise UnreadableImageError(f"{operation}: the photo cannot be read ({message}).") from error
    raise FaceCollectionError(f"{operation} failed ({code}): {message}") from error


def _area(detail: dict[str, Any]) -> float:
    box = detail.get("BoundingBox") or {}
    return float(box.get("Width", 0)) * float(box.get("Height", 0))


def _where(box: dict[str, Any]) -> str:
    centre = float(box.get("Left", 0)) + float(box.get("Width", 0)) / 2
    return "left" if centre < 1 / 3 else "right" if centre > 2 / 3 else "centre"


def _photo_row(dynamodb: DynamoDBClient, table: str, pid: str, etag: str) -> dict[str, Any]:
    key = {"personId": {"S": pid}, "entry": {"S": PHOTO_ENTRY + etag}}
    try:
        return dict(
            dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item") or {}
        )
    except ClientError as error:
        _raise_for(error, "GetItem")


def enroll_face(
    rekognition: RekognitionClient,
    dynamodb: DynamoDBClient,
    collection: str,
    table: str,
    photo: Video,
    etag: str,
) -> dict[str, Any]:
    """Index the photo's one clear face for the person its folder names; the same photo again
    indexes nothing. No face, or several with none clearly the largest: refused, nothing kept."""
    name = enrolment_name(photo.key)
    pid = person_id(name)
    found = _photo_row(dynamodb, table, pid, etag)
    if found:
        return _enrolled(name, pid, photo, found["faceId"]["S"], "already enrolled", 1)
    s3_object: dict[str, str] = {"Bucket": photo.bucket, "Name": photo.key}
    if photo.versionId:
        s3_object["Version"] = photo.versionId
    try:
        response = rekognition.index_faces(
            CollectionId=collection,
            Image={"S3Object": s3_object},  # type: ignore[typeddict-item]
            ExternalImageId=pid,
            MaxFaces=1,
            QualityFilter="AUTO",
            DetectionAttributes=["DEFAULT"],
        )
    except ClientError as error:
        _raise_for(error, "IndexFaces")
    answer: dict[str, Any] = dict(response)
    records: list[dict[str, Any]] = answer.get("FaceRecords") or []
    unindexed: list[dict[str, Any]] = answer.get("UnindexedFaces") or []
    if not records:
        why = sorted({r for u in unindexed for r in u.get("Reasons") or []})
        detail = f" ({len(unindexed)} too small or unclear: {', '.join(why)})" if why else ""
        raise NoFaceFoundError(f"No face found in {photo.fileName}{detail}: nothing was enrolled.")
    face: dict[str, Any] = records[0]["Face"]
    rivals = [
        u
        for u in unindexed
        if "EXCEEDS_MAX_FACES" in (u.get("Reasons") or [])
        and _area(dict(u.get("FaceDetail") or {})) >= RIVAL_AREA * _area(face)
    ]
    if rivals:
        _delete_faces(rekognition, collection, [str(face["FaceId"])])
        raise AmbiguousFaceError(
            f"{photo.fileName} has {len(rivals) + 1} faces of about the same size: crop it to "
            f"{name} alone. Nothing was enrolled."
        )
    taken = "one face"
    if unindexed:
        where = _where(face.get("BoundingBox") or {})
        taken = f"took the largest of {len(unindexed) + 1} faces, on the {where}"
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    try:
        dynamodb.update_item(
            TableName=table,
            Key={"personId": {"S": pid}, "entry": {"S": PERSON_ENTRY}},
            UpdateExpression="SET #name = if_not_exists(#name, :name), "
            "enrolledAt = if_not_exists(enrolledAt, :now)",
            ExpressionAttributeNames={"#name": "name"},
            ExpressionAttributeValues={":name": {"S": name}, ":now": {"S": now}},
        )
        dynamodb.put_item(
            TableName=table,
            Item={
                "personId": {"S": pid},
                "entry": {"S": PHOTO_ENTRY + etag},
                "faceId": {"S": str(face["FaceId"])},
                "bucket": {"S": photo.bucket},
                "key": {"S": photo.key},
                **({"versionId": {"S": photo.versionId}} if photo.versionId else {}),
                "enrolledAt": {"S": now},
            },
            ConditionExpression="attribute_not_exists(#entry)",
            ExpressionAttributeNames={"#entry": "entry"},
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            _raise_for(error, "PutItem")
        # The same photo enrolled at the same moment by another execution: keep one face.
        _delete_faces(rekognition, collection, [str(face["FaceId"])])
        row = _photo_row(dynamodb, table, pid, etag)
        return _enrolled(name, pid, photo, row["faceId"]["S"], "already enrolled", 1)
    return _enrolled(name, pid, photo, str(face["FaceId"]), taken, len(unindexed) + 1)


def _enrolled(
    name: str, pid: str, photo: Video, face_id: str, taken: str, faces: int
) -> dict[str, Any]:
    return {
        "name": name,
        "personId": pid,
        "faceId": face_id,
        "photo": photo.key,
        "facesFound": faces,
        "message": f"Enrolled {name} from {photo.fileName}: {taken}.",
    }


# ---------------------------------------------------------------------- reading, removing
def _rows(dynamodb: DynamoDBClient, table: str, pid: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for page in dynamodb.get_paginator("query").paginate(
        TableName=table,
        KeyConditionExpression="personId = :id",
        ExpressionAttributeValues={":id": {"S": pid}},
        ConsistentRead=True,
    ):
        rows += [dict(item) for item in page.get("Items") or []]
    return rows


def list_people(dynamodb: DynamoDBClient, table: str) -> list[dict[str, Any]]:
    """Every enrolled person: name, personId and how many photos, by name."""
    people: dict[str, dict[str, Any]] = {}
    for page in dynamodb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        for item in page.get("Items") or []:
            person = people.setdefault(item["personId"]["S"], {"name": "", "photos": 0})
            if item["entry"]["S"] == PERSON_ENTRY:
                person["name"] = item["name"]["S"]
            else:
                person["photos"] += 1
    listed = [{"personId": pid, **person} for pid, person in people.items() if person["name"]]
    return sorted(listed, key=lambda p: (p["name"].casefold(), p["name"]))


def display_names(dynamodb: DynamoDBClient, table: str, ids: set[str]) -> dict[str, str]:
    """personId -> display name, for the ids a search matched (unknown ids are left out)."""
    names: dict[str, str] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 100):
        keys = [
            {"personId": {"S": i}, "entry": {"S": PERSON_ENTRY}}
            for i in wanted[start : start + 100]
        ]
        request: Any = {
            table: {
                "Keys": keys,
                "ProjectionExpression": "personId, #n",
                "ExpressionAttributeNames": {"#n": "name"},
            }
        }
        while request:
            try:
                response = dynamodb.batch_get_item(RequestItems=request)
            except ClientError as error:
                _raise_for(error, "BatchGetItem")
            for item in response.get("Responses", {}).get(table, []):
                names[item["personId"]["S"]] = item["name"]["S"]
            request = response.get("UnprocessedKeys") or None
    return names


def _delete_faces(rekognition: RekognitionClient, collection: str, ids: list[str]) -> None:
    for start in range(0, len(ids), 4096):
        try:
            rekognition.delete_faces(CollectionId=collection, FaceIds=ids[start : start + 4096])
        except ClientError as error:
            _raise_for(error, "DeleteFaces")


def _faces_of(rekognition: RekognitionClient, collection: str, pid: str) -> list[str]:
    """Every face in the collection under the person's ExternalImageId, table or not."""
    ids = []
    try:
        for page in rekognition.get_paginator("list_faces").paginate(CollectionId=collection):
            ids += [f["FaceId"] for f in page.get("Faces") or [] if f.get("ExternalImageId") == pid]
    except ClientError as error:
        _raise_for(error, "ListFaces")
    return ids


def remove_person(
    rekognition: RekognitionClient,
    dynamodb: DynamoDBClient,
    s3: S3Client,
    collection: str,
    table: str,
    library: Library,
    raw_name: str,
) -> dict[str, Any]:
    """Delete the person's moments from the library's index, their faces from the collection,
    their enrolment photos from the upload bucket and their rows from the people table:
    nothing of their face is kept. The index goes first, so a retry after a failure later on
    still finds the faces and rows to delete."""
    name = person_name(raw_name)
    pid = person_id(name)
    rows = _rows(dynamodb, table, pid)
    face_ids = sorted(
        {r["faceId"]["S"] for r in rows if "faceId" in r}
        | set(_faces_of(rekognition, collection, pid))
    )
    moments = remove_person_moments(library, pid)
    if not rows and not face_ids and not moments:
        raise PersonNotFoundError(f"No one named {name} is enrolled.")
    _delete_faces(rekognition, collection, face_ids)
    photos = 0
    for row in rows:
        if "key" in row:
            version = {"VersionId": row["versionId"]["S"]} if "versionId" in row else {}
            try:
                s3.delete_object(Bucket=row["bucket"]["S"], Key=row["key"]["S"], **version)
                photos += 1
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") not in _GONE:
                    _raise_for(error, "DeleteObject")
    for row in rows:
        key = {"personId": row["personId"], "entry": row["entry"]}
        try:
            dynamodb.delete_item(TableName=table, Key=key)
        except ClientError as error:
            _raise_for(error, "DeleteItem")
    shown = next((r["name"]["S"] for r in rows if r["entry"]["S"] == PERSON_ENTRY), name)
    return {
        "name": shown,
        "personId": pid,
        "deletedFaces": len(face_ids),
        "deletedPhotos": photos,
        "deletedMoments": moments,
        "message": f"Removed {shown}: {len(face_ids)} faces, {photos} photos and "
        f"{moments} indexed moments deleted.",
    }
