"""AWS Elemental MediaConvert's Probe, CreateJob and GetJob, over PyAV and one ffmpeg process.

Jobs run in the background like the real service's: SUBMITTED, then PROGRESSING with a
percentage, then COMPLETE, or ERROR with an error message.
"""

from __future__ import annotations

import mimetypes
import shutil
import tempfile
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import media
from ..media.encoders import FFMPEG_THREADS
from ..runtime.interception import Router, ServiceError
from .jobs import JobWatcher
from .storage import ObjectStore

# MediaConvert's error code for an input it cannot read (it reports 1xxx codes for inputs).
_INPUT_ERROR_CODE = 1010
_TRANSCODE_ERROR_CODE = 1999
_FINAL = {"COMPLETE", "ERROR", "CANCELED"}


def _now() -> datetime:
    return datetime.now(UTC)


class MediaConvertEmulator:
    def __init__(
        self,
        store: ObjectStore,
        region: str,
        account: str,
        workers: int = 1,
        watcher: JobWatcher | None = None,
        threads: int = FFMPEG_THREADS,
    ) -> None:
        self._store = store
        self._threads = threads
        self._watcher = watcher
        self._region, self._account = region, account
        self._jobs: dict[str, dict[str, Any]] = {}
        self._tokens: dict[str, str] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mediaconvert")
        self.workdir = Path(tempfile.mkdtemp(prefix="reelscribe-mediaconvert-"))

    def register(self, router: Router) -> None:
        router.answer("mediaconvert", "Probe", self.probe)
        router.answer("mediaconvert", "CreateJob", self.create_job)
        router.answer("mediaconvert", "GetJob", self.get_job)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.workdir, ignore_errors=True)

    # ------------------------------------------------------------------ Probe
    def probe(self, params: dict[str, Any]) -> dict[str, Any]:
        results = []
        for entry in params.get("InputFiles") or []:
            uri = str(entry.get("FileUrl", ""))
            scratch = Path(tempfile.mkdtemp(dir=self.workdir))
            try:
                path = self._store.download(uri, scratch / Path(uri).name)
                results.append(media.probe(path).as_response())
            except media.MediaProbeError as error:
                raise ServiceError(
                    "BadRequestException", f"Unable to probe {uri}: {error}"
                ) from None
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
        if not results:
            raise ServiceError("BadRequestException", "InputFiles must name at least one file")
        return {"ProbeResults": results}

    # ------------------------------------------------------------------ jobs
    def create_job(self, params: dict[str, Any]) -> dict[str, Any]:
        token = params.get("ClientRequestToken")
        with self._lock:
            if token and token in self._tokens:
                # The real service returns the job it already made for this token.
                return {"Job": dict(self._jobs[self._tokens[token]])}
        if not params.get("Role"):
            raise ServiceError("BadRequestException", "/role: Role is required")
        settings = params.get("Settings") or {}
        inputs = settings.get("Inputs") or []
        if len(inputs) != 1 or not inputs[0].get("FileInput"):
            raise ServiceError(
                "BadRequestException", "/settings/inputs: exactly one FileInput is required"
            )
        job_id = f"{int(_now().timestamp() * 1000)}-{uuid.uuid4().hex[:6]}"
        job = {
            "Id": job_id,
            "Arn": f"arn:aws:mediaconvert:{self._region}:{self._account}:jobs/{job_id}",
            "Role": params["Role"],
            "Settings": settings,
            "UserMetadata": params.get("UserMetadata") or {},
            "Queue": f"arn:aws:mediaconvert:{self._region}:{self._account}:queues/Default",
            "Status": "SUBMITTED",
            "CreatedAt": _now(),
            "Timing": {"SubmitTime": _now()},
            "StatusUpdateInterval": params.get("StatusUpdateInterval", "SECONDS_60"),
        }
        scratch = Path(tempfile.mkdtemp(dir=self.workdir))
        with self._lock:
            self._jobs[job_id] = job
            if token:
                self._tokens[token] = job_id
            answer = {"Job": dict(job)}  # as submitted, before the worker moves it on
        self._changed(answer["Job"])
        self._pool.submit(self._run, job_id, settings, scratch)
        return answer

    def get_job(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            job = self._jobs.get(str(params.get("Id")))
            if job is None:
                raise ServiceError("NotFoundException", f"Job {params.get('Id')} not found", 404)
            answer = {"Job": dict(job)}
        # Decided on the copy returned: the job may finish the moment the lock is let go.
        if self._watcher is not None and answer["Job"]["Status"] in _FINAL:
            self._watcher.job_read(answer["Job"]["Id"])
        return answer

    def jobs(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(job) for job in self._jobs.values()]

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            self._jobs[job_id].update(changes)
            job = dict(self._jobs[job_id])
        self._changed(job)

    def _changed(self, job: dict[str, Any]) -> None:
        if self._watcher is not None:
            self._watcher.job_changed(job)

    def _run(self, job_id: str, settings: dict[str, Any], scratch: Path) -> None:
        uri = settings["Inputs"][0]["FileInput"]
        self._update(
            job_id,
            Status="PROGRESSING",
            JobPercentComplete=0,
            CurrentPhase="PROBING",
            Timing={"SubmitTime": self._jobs[job_id]["CreatedAt"], "StartTime": _now()},
        )
        try:
            source = self._store.download(uri, scratch / ("input" + Path(uri).suffix))
            try:
                probed = media.probe(source)
            except media.MediaProbeError as error:
                raise _JobFailedError(
                    _INPUT_ERROR_CODE, f"Unable to open input file [{uri}]: {error}"
                ) from None
            plan = media.plan_transcode(
                settings, probed, source, scratch / "out", threads=self._threads
            )
            self._update(job_id, CurrentPhase="TRANSCODING")
            media.run_transcode(
                plan,
                probed.duration,
                lambda percent: self._update(job_id, JobPercentComplete=percent),
            )
            self._update(job_id, CurrentPhase="UPLOADING")
            for output in plan.outputs:
                for path, destination in output.files():
                    content_type = mimetypes.guess_type(destination)[0]
                    self._store.upload(path, destination, content_type)
            self._finish(
                job_id, "COMPLETE", JobPercentComplete=100, OutputGroupDetails=self._details(plan)
            )
        except _JobFailedError as failure:
            self._finish(job_id, "ERROR", ErrorCode=failure.code, ErrorMessage=failure.message)
        except media.MediaError as error:
            self._finish(job_id, "ERROR", ErrorCode=_TRANSCODE_ERROR_CODE, ErrorMessage=str(error))
        except ServiceError as error:
            self._finish(job_id, "ERROR", ErrorCode=_INPUT_ERROR_CODE, ErrorMessage=error.message)
        except Exception as error:  # noqa: BLE001 - a job must never stay PROGRESSING
            self._finish(
                job_id,
                "ERROR",
                ErrorCode=_TRANSCODE_ERROR_CODE,
                ErrorMessage=f"Internal failure: {type(error).__name__}: {error}",
            )
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _finish(self, job_id: str, status: str, **changes: Any) -> None:
        if self._watcher is not None:
            self._watcher.job_finishing(job_id)
        with self._lock:
            job = self._jobs[job_id]
            job.update(changes, Status=status)
            job.pop("CurrentPhase", None)
            job["Timing"] = {**job.get("Timing", {}), "FinishTime": _now()}
            finished = dict(job)
            # With the status, under the lock reads take: none sees it before the watcher.
            if self._watcher is not None:
                self._watcher.job_finished(job_id)
        self._changed(finished)

    @staticmethod
    def _details(plan: media.TranscodePlan) -> list[dict[str, Any]]:
        groups: dict[int, list[dict[str, Any]]] = {}
        for output in plan.outputs:
            groups.setdefault(output.group_index, []).append(
                {"OutputFilePaths": [destination for _, destination in output.files()]}
            )
        return [{"OutputDetails": details} for _, details in sorted(groups.items())]


class _JobFailedError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message
