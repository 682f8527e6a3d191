"""Amazon Rekognition Video's segment, text, face and moderation jobs, over offline detectors.

Start* accepts a job for an S3 object and answers with its JobId; Get* answers IN_PROGRESS
until the analysis is done, then SUCCEEDED with the items in Rekognition's shapes, in pages of
``MaxResults`` (1 to 1000, default 1000) chained by ``NextToken``, or FAILED with a
``StatusMessage``. Jobs on the same S3 object share one analysis: the first Start* runs every
detector in one decoding pass (see reelscribe.vision.video) and later jobs reuse its result.

As on AWS, Rekognition Video reads H.264 in MP4 or MOV only: another codec or container ends the
job FAILED with "Unsupported codec/format.". An object over 10 GB is refused with
VideoTooLargeException, a missing one with InvalidS3ObjectException. At most ``job_limit`` jobs
run at once (20 by default, the account quota Rekognition Video starts with): a Start* beyond it
is refused with LimitExceededException until a running job ends, as on AWS.

StartFaceSearch matches the faces of the same pass against a face collection (see
face_search.py): the faces are described (dlib's descriptors) only in a pass that a face search
needs, or when a collection holds faces at all, so a video is still decoded once.

``NotificationChannel`` is accepted and not used: the pipeline polls. StartLabelDetection,
StartCelebrityRecognition and every operation not listed above (custom labels, users,
streams) are refused with AccessDeniedException and a message saying that
they are unavailable locally: no labels, names or matches are ever made up. The
code is the one Rekognition uses for an operation the caller may not use, and it is not a
transient error, so a state machine's retries do not repeat it.
"""

from __future__ import annotations

import base64
import json
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import botocore.session

from ..runtime.interception import Router, ServiceError
from .face_collection import FaceCollections
from .face_search import FaceCollectionApis, collection_id, matches, stored_faces, threshold
from .jobs import JobWatcher
from .rekognition_images import NO_OBJECT, ImageApis, filter_words, s3_object, unavailable
from .storage import ObjectStore
from .warming import Warming

if TYPE_CHECKING:
    # The detectors (numpy, OpenCV, PyAV, onnxruntime) are imported when a job first needs
    # them, or by the warming thread: a run starts its first transcode without them.
    from ..vision.video import VideoAnalysis

MAX_RESULTS = 1000
MAX_VIDEO_BYTES = 10 * 1024**3
# Rekognition Video's default quota of concurrently running stored-video jobs per account.
CONCURRENT_JOBS = 20
_UNSUPPORTED = "Unsupported codec/format."
# Analyses kept for later jobs on the same object; the pipeline starts its jobs on a video
# together, so a few suffice, and a batch of long videos does not pile them up.
_KEPT_ANALYSES = 8
_ONLY = (
    "only the segment, text, face, face search and content moderation video jobs, face "
    "collections, and DetectText, DetectFaces, DetectModerationLabels and SearchFacesByImage "
    "are answered offline"
)
_SEGMENT_TYPES = ("TECHNICAL_CUE", "SHOT")
_MODEL_VERSIONS = {"SHOT": "1.0", "TECHNICAL_CUE": "2.0"}
# What each Get* returns its items as, and how a job of the kind turns an analysis into them.
_ITEMS = {
    "segments": "Segments",
    "text": "TextDetections",
    "faces": "Faces",
    "moderation": "ModerationLabels",
    "face_search": "Persons",
}
Build = Callable[["VideoAnalysis"], list[dict[str, Any]]]


class RekognitionEmulator:
    def __init__(
        self,
        store: ObjectStore,
        workers: int = 1,
        watcher: JobWatcher | None = None,
        job_limit: int = CONCURRENT_JOBS,
        collections: FaceCollections | None = None,
        region: str = "us-east-1",
        account: str = "123456789012",
    ) -> None:
        self.job_limit = job_limit
        self._store = store
        self._watcher = watcher
        self._jobs: dict[str, dict[str, Any]] = {}
        self._tokens: dict[tuple[str, str], str] = {}
        self._analyses: dict[tuple[str, str, str, str], tuple[Future[VideoAnalysis], bool]] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rekognition")
        self.workdir = Path(tempfile.mkdtemp(prefix="reelscribe-rekognition-"))
        self.images = ImageApis(store)
        self.collections = collections if collections is not None else FaceCollections()
        self.faces = FaceCollectionApis(self.images, self.collections, region, account)
        self._warming = Warming("rekognition-warm")

    def warm(self) -> None:
        """Load the detectors' models in the background, once, so the first analysis does not
        wait on them."""
        from ..vision.video import warm as warm_detectors

        self._warming.start(warm_detectors)

    def register(self, router: Router) -> None:
        router.answer("rekognition", "StartSegmentDetection", self.start_segment_detection)
        router.answer("rekognition", "GetSegmentDetection", self._getter("segments"))
        router.answer("rekognition", "StartTextDetection", self.start_text_detection)
        router.answer("rekognition", "GetTextDetection", self._getter("text"))
        router.answer("rekognition", "StartFaceDetection", self.start_face_detection)
        router.answer("rekognition", "GetFaceDetection", self._getter("faces"))
        router.answer("rekognition", "StartContentModeration", self.start_content_moderation)
        router.answer("rekognition", "GetContentModeration", self._getter("moderation"))
        router.answer("rekognition", "StartFaceSearch", self.start_face_search)
        router.answer("rekognition", "GetFaceSearch", self._getter("face_search"))
        router.answer("rekognition", "StartLabelDetection", unavailable("Label detection"))
        router.answer(
            "rekognition", "StartCelebrityRecognition", unavailable("Celebrity recognition")
        )
        router.answer("rekognition", "GetLabelDetection", self._unknown_job)
        router.answer("rekognition", "GetCelebrityRecognition", self._unknown_job)
        self.images.register(router)
        self.faces.register(router)
        # moto has a Rekognition backend with canned answers: every other operation is refused
        # here, so no call ever gets a made-up result.
        model = botocore.session.get_session().get_service_model("rekognition")
        for operation in model.operation_names:
            if router.handles("rekognition", operation) is None:
                router.answer("rekognition", operation, unavailable(operation, _ONLY))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.workdir, ignore_errors=True)

    # ------------------------------------------------------------------ Start*
    def start_segment_detection(self, params: dict[str, Any]) -> dict[str, Any]:
        types = params.get("SegmentTypes") or []
        if not types or any(kind not in _SEGMENT_TYPES for kind in types):
            raise ServiceError(
                "InvalidParameterException", "SegmentTypes must hold SHOT and/or TECHNICAL_CUE"
            )
        filters = params.get("Filters") or {}
        shot_min = _confidence(filters.get("ShotFilter") or {}, "MinSegmentConfidence", 80.0, 50.0)
        cue = filters.get("TechnicalCueFilter") or {}
        cue_min = _confidence(cue, "MinSegmentConfidence", 80.0, 50.0)
        black = cue.get("BlackFrame") or {}
        from ..vision import shots as shot_filters

        pixel = _ratio(black, "MaxPixelThreshold", shot_filters.DEFAULT_MAX_PIXEL_THRESHOLD)
        coverage = _confidence(black, "MinCoveragePercentage", shot_filters.DEFAULT_MIN_COVERAGE)

        def build(analysis: VideoAnalysis) -> list[dict[str, Any]]:
            found: list[dict[str, Any]] = []
            if "SHOT" in types:
                found += [
                    s
                    for s in analysis.shots.shots(analysis.info)
                    if s["ShotSegment"]["Confidence"] >= shot_min
                ]
            if "TECHNICAL_CUE" in types:
                found += [
                    s
                    for s in analysis.shots.black_frames(analysis.info, pixel, coverage)
                    if s["TechnicalCueSegment"]["Confidence"] >= cue_min
                ]
            return sorted(found, key=lambda s: (s["StartTimestampMillis"], s["Type"]))

        extra = {
            "SelectedSegmentTypes": [
                {"Type": kind, "ModelVersion": _MODEL_VERSIONS[kind]} for kind in types
            ]
        }
        return self._start("segments", params, build, extra)

    def start_text_detection(self, params: dict[str, Any]) -> dict[str, Any]:
        word_filter = (params.get("Filters") or {}).get("WordFilter") or {}
        minimums = _word_minimums(word_filter)

        def build(analysis: VideoAnalysis) -> list[dict[str, Any]]:
            by_stamp: dict[int, list[dict[str, Any]]] = {}
            for item in analysis.text:
                by_stamp.setdefault(item["Timestamp"], []).append(item["TextDetection"])
            return [
                {"Timestamp": stamp, "TextDetection": detection}
                for stamp, detections in by_stamp.items()
                for detection in filter_words(detections, *minimums)
            ]

        return self._start("text", params, build, {"TextModelVersion": "3.0"})

    def start_face_detection(self, params: dict[str, Any]) -> dict[str, Any]:
        attributes = params.get("FaceAttributes", "DEFAULT")
        if attributes not in ("DEFAULT", "ALL"):
            raise ServiceError("InvalidParameterException", "FaceAttributes is DEFAULT or ALL")
        return self._start("faces", params, lambda analysis: list(analysis.faces), {})

    def start_content_moderation(self, params: dict[str, Any]) -> dict[str, Any]:
        minimum = _confidence(params, "MinConfidence", 50.0)
        return self._start(
            "moderation",
            params,
            lambda analysis: analysis.moderation_labels(minimum),
            {"ModerationModelVersion": "7.0"},
        )

    def start_face_search(self, params: dict[str, Any]) -> dict[str, Any]:
        name = collection_id(params)
        minimum = threshold(params)
        stored_faces(self.collections, name)  # the collection must exist when the job starts

        def build(analysis: VideoAnalysis) -> list[dict[str, Any]]:
            known = stored_faces(self.collections, name)
            if analysis.face_tracks is None:  # no face was enrolled when the pass began
                return []
            persons = []
            for item, (index, vector) in zip(analysis.faces, analysis.face_tracks, strict=True):
                found = matches(vector, known, minimum)
                if found:
                    person = {"Index": index, "BoundingBox": item["Face"]["BoundingBox"]}
                    person["Face"] = item["Face"]
                    persons.append(
                        {"Timestamp": item["Timestamp"], "Person": person, "FaceMatches": found}
                    )
            return persons

        # An empty collection matches no one: the pass need not describe faces for it.
        describe = self.collections.has_faces()
        return self._start("face_search", params, build, {}, describe=describe)

    def _start(
        self,
        kind: str,
        params: dict[str, Any],
        build: Build,
        extra: dict[str, Any],
        describe: bool = False,
    ) -> dict[str, Any]:
        bucket, key, version = s3_object(params.get("Video"), "Video")
        token = params.get("ClientRequestToken")
        with self._lock:
            if token and (kind, token) in self._tokens:
                # The same request again: the service answers with the job it already started.
                return {"JobId": self._tokens[(kind, token)]}
        head = self._store.head(bucket, key, version)
        if head is None:
            raise ServiceError("InvalidS3ObjectException", NO_OBJECT)
        size, etag = head
        if size > MAX_VIDEO_BYTES:
            raise ServiceError(
                "VideoTooLargeException",
                f"The video is {size} bytes; Rekognition Video takes at most 10 GB",
            )
        job_id = uuid.uuid4().hex + uuid.uuid4().hex[:32]
        job: dict[str, Any] = {
            "JobId": job_id,
            "JobStatus": "IN_PROGRESS",
            "Video": {"S3Object": {"Bucket": bucket, "Name": key, **_version(version)}},
            **({"JobTag": params["JobTag"]} if params.get("JobTag") else {}),
            **extra,
        }
        with self._lock:
            running = sum(j["answer"]["JobStatus"] == "IN_PROGRESS" for j in self._jobs.values())
            if running >= self.job_limit:
                raise ServiceError(
                    "LimitExceededException",
                    f"{running} video jobs are running, the limit of concurrent jobs; "
                    "start this one when one of them has finished",
                )
            self._jobs[job_id] = {"kind": kind, "answer": job, "items": []}
            if token:
                self._tokens[(kind, token)] = job_id
            analysis = self._analysis(bucket, key, version, etag, describe)
        analysis.add_done_callback(lambda done: self._finish(job_id, done, build))
        return {"JobId": job_id}

    def _analysis(
        self, bucket: str, key: str, version: str, etag: str, describe: bool
    ) -> Future[VideoAnalysis]:
        """The object's one shared analysis (called with the lock held); an object written
        again under the same key has another ETag, and is analysed again. Faces are described
        for a face search, and whenever a collection holds faces, since the pipeline starts its
        face search beside the other jobs on the same object."""
        ident = (bucket, key, version, etag)
        future, described = self._analyses.pop(ident, (None, False))
        if future is None or (describe and not described):
            described = describe or self.collections.has_faces()
            future = self._pool.submit(self._analyse, bucket, key, version, described)
        self._analyses[ident] = (future, described)  # most recently used last
        while len(self._analyses) > _KEPT_ANALYSES:
            self._analyses.pop(next(iter(self._analyses)))
        return future

    def _analyse(self, bucket: str, key: str, version: str, describe: bool) -> VideoAnalysis:
        scratch = Path(tempfile.mkdtemp(dir=self.workdir))
        try:
            uri = f"s3://{bucket}/{key}"
            path = self._store.download(uri, scratch / ("video" + Path(key).suffix), version)
            from ..vision.video import analyse

            return analyse(path, describe_faces=describe)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _finish(self, job_id: str, done: Future[VideoAnalysis], build: Build) -> None:
        from ..vision.frames import VideoDecodeError

        changes: dict[str, Any]
        items: list[dict[str, Any]] = []
        try:
            analysis = done.result()
            if not analysis.info.rekognition_compatible:
                changes = {"JobStatus": "FAILED", "StatusMessage": _UNSUPPORTED}
            else:
                items = build(analysis)
                metadata = analysis.info.metadata()
                changes = {"JobStatus": "SUCCEEDED", "VideoMetadata": metadata}
        except VideoDecodeError:
            changes = {"JobStatus": "FAILED", "StatusMessage": _UNSUPPORTED}
        except ServiceError as error:
            changes = {"JobStatus": "FAILED", "StatusMessage": error.message}
        except Exception as error:  # noqa: BLE001 - a job must never stay IN_PROGRESS
            changes = {
                "JobStatus": "FAILED",
                "StatusMessage": f"Internal failure: {type(error).__name__}: {error}",
            }
        if self._watcher is not None:
            self._watcher.job_finishing(job_id)
        with self._lock:
            job = self._jobs[job_id]
            job["answer"].update(changes)
            job["items"] = items
            # With the status, under the lock reads take: none sees it before the watcher.
            if self._watcher is not None:
                self._watcher.job_finished(job_id)

    # ------------------------------------------------------------------ Get*
    def _getter(self, kind: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
        return lambda params: self._get(kind, params)

    def _get(self, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        job_id = str(params.get("JobId", ""))
        limit = params.get("MaxResults", MAX_RESULTS)
        if not isinstance(limit, int) or not 1 <= limit <= MAX_RESULTS:
            raise ServiceError("InvalidParameterException", "MaxResults must be 1 to 1000")
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job["kind"] != kind:
                raise ServiceError(
                    "ResourceNotFoundException", f"The job {job_id} was not found", 400
                )
            answer: dict[str, Any] = json.loads(json.dumps(job["answer"]))
            items = job["items"]
        if kind == "face_search":
            sort_by = params.get("SortBy", "TIMESTAMP")
            if sort_by == "INDEX":
                items = sorted(items, key=lambda i: (i["Person"]["Index"], i["Timestamp"]))
        if kind == "moderation":
            items = _sorted_moderation(items, params.get("SortBy", "TIMESTAMP"))
            answer["GetRequestMetadata"] = {
                "SortBy": params.get("SortBy", "TIMESTAMP"),
                "AggregateBy": params.get("AggregateBy", "TIMESTAMPS"),
            }
        if kind == "segments":
            # GetSegmentDetection returns lists of metadata, one per stream.
            metadata = answer.pop("VideoMetadata", None)
            answer["VideoMetadata"] = [metadata] if metadata else []
            answer["AudioMetadata"] = []
        start = _page_start(params.get("NextToken"), job_id, len(items))
        page = items[start : start + limit]
        answer[_ITEMS[kind]] = page if answer["JobStatus"] == "SUCCEEDED" else []
        if answer["JobStatus"] == "SUCCEEDED" and start + limit < len(items):
            answer["NextToken"] = _token(job_id, start + limit)
        if self._watcher is not None and answer["JobStatus"] != "IN_PROGRESS":
            self._watcher.job_read(job_id)
        return answer

    def _unknown_job(self, params: dict[str, Any]) -> dict[str, Any]:
        raise ServiceError(
            "ResourceNotFoundException", f"The job {params.get('JobId')} was not found", 400
        )


# ---------------------------------------------------------------------- helpers
def _token(job_id: str, start: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([job_id, start]).encode()).decode()


def _page_start(token: Any, job_id: str, count: int) -> int:
    if token is None:
        return 0
    try:
        owner, start = json.loads(base64.urlsafe_b64decode(str(token).encode()))
    except (ValueError, TypeError):
        owner, start = None, -1
    if owner != job_id or not isinstance(start, int) or not 0 <= start <= count:
        raise ServiceError("InvalidPaginationException", "The NextToken is not valid")
    return start


def _sorted_moderation(items: list[dict[str, Any]], sort_by: str) -> list[dict[str, Any]]:
    if sort_by == "NAME":
        return sorted(items, key=lambda i: (i["ModerationLabel"]["Name"], i["Timestamp"]))
    return sorted(items, key=lambda i: i["Timestamp"])


def _version(version: str) -> dict[str, str]:
    return {"Version": version} if version else {}


def _confidence(section: dict[str, Any], key: str, default: float, low: float = 0.0) -> float:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= 100:
        raise ServiceError(
            "InvalidParameterException", f"{key} must be a number from {low:g} to 100"
        )
    return float(value)


def _ratio(section: dict[str, Any], key: str, default: float) -> float:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 0.99:
        raise ServiceError("InvalidParameterException", f"{key} must be a number from 0 to 0.99")
    return float(value)


def _word_minimums(word_filter: dict[str, Any]) -> tuple[float, float, float]:
    return (
        _confidence(word_filter, "MinConfidence", 0.0),
        _ratio(word_filter, "MinBoundingBoxHeight", 0.0),
        _ratio(word_filter, "MinBoundingBoxWidth", 0.0),
    )
