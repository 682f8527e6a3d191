"""The local runtime: the template's resources in moto, its state machine run by moto's ASL
interpreter, its functions run in-process, and MediaConvert, Transcribe and Rekognition over real
engines."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote_plus

import boto3
from moto import mock_aws

from video_pipeline.upload import slug

from ..emulators.comprehend import ComprehendEmulator
from ..emulators.face_collection import FaceCollections
from ..emulators.lambda_service import LambdaService
from ..emulators.mediaconvert import MediaConvertEmulator
from ..emulators.rds_data import RdsDataEmulator
from ..emulators.rekognition import RekognitionEmulator
from ..emulators.storage import SERVICE_SIDE, ObjectStore
from ..emulators.transcribe import TranscribeEmulator
from ..errors import ExecutionTimeoutError, ServiceError
from ..library import database_for
from ..media.encoders import FFMPEG_THREADS
from ..speech.models import DEFAULT_CPU_THREADS
from ..template import Template
from . import interception, moto_patches
from .deployment import Deployment, deploy
from .events import ExecutionFinished, JobProgress, RunEvent, StateEntered, Subscriber
from .lambdas import LocalFunctions
from .library_tables import LibraryTables, library_tables
from .moto_patches import engine, execution_events, history_events, mock_config, wait_states
from .moto_patches.aws_parity import calling_execution

REGION = "us-east-1"
ACCOUNT = "123456789012"
# A Wait ends when the emulated job it polls finishes (moto_patches.wait_states), so a run polls
# as the template says. A MockConfigFile's scripted answers are no emulated jobs: nothing ends
# those Waits early, so they last one second rather than the template's five to sixty.
MOCKED_POLL_PARAMETERS = {"MinPollSeconds": "1", "MaxPollSeconds": "1"}
_RUNTIME_ENV = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_SESSION_TOKEN": "local",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    # No X-Ray daemon or CloudWatch here: traces and EMF metrics would only be noise.
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",
}
TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}
_ENDING_DETAILS = (
    "executionFailedEventDetails",
    "executionAbortedEventDetails",
    "executionTimedOutEventDetails",
)
_LOG = logging.getLogger("reelscribe")


def ending_details(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The error and cause of the execution's ending event, if the events end with one: where a
    stopped or timed-out execution says why."""
    last = events[-1] if events else {}
    return next((dict(last[key]) for key in _ENDING_DETAILS if key in last), {})


def _event(source: str, detail_type: str, resource: str, detail: dict[str, Any]) -> dict[str, Any]:
    """An event as EventBridge delivers it from an AWS service."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": source,
        "account": ACCOUNT,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [resource],
        "detail": detail,
    }


def _epoch_millis(stamp: datetime | None) -> int | None:
    return None if stamp is None else int(stamp.timestamp() * 1000)


class Notification:
    def __init__(self, params: dict[str, Any]) -> None:
        self.topic_arn = str(params.get("TopicArn", ""))
        self.subject = str(params.get("Subject", ""))
        self.message = str(params.get("Message", ""))
        self.attributes = {
            name: str(value.get("StringValue", ""))
            for name, value in (params.get("MessageAttributes") or {}).items()
        }
        self.sent_at = datetime.now(UTC)


# Called with the service ("mediaconvert", "transcribe", "rekognition") and the job's id when an
# emulated job's engine is done, on the job's worker thread, before its final status is set.
JobFinishing = Callable[[str, str], None]


class _JobEvents:
    """Hears of the emulated jobs: a finished job ends its poll loop's Wait, and a MediaConvert
    job's progress goes to the runtime's subscribers as the execution that started it."""

    def __init__(
        self,
        publish: Subscriber | None,
        service: str,
        finishing: JobFinishing | None,
        transcoding: Callable[[], None] | None = None,
    ) -> None:
        self._publish = publish
        self._service = service
        self._finishing = finishing
        self._transcoding = transcoding
        self._executions: dict[str, str] = {}

    def job_changed(self, job: Mapping[str, Any]) -> None:
        if self._publish is None:
            return
        job_id = str(job["Id"])
        if job_id not in self._executions:
            # Created by a task's call, on the execution's own thread.
            self._executions[job_id] = calling_execution() or ""
        execution_arn = self._executions[job_id]
        if execution_arn:
            percent = int(job.get("JobPercentComplete") or 0)
            self._publish(
                JobProgress(execution_arn, str(job["Status"]), percent, datetime.now(UTC))
            )
        if self._transcoding is not None and job.get("CurrentPhase") == "TRANSCODING":
            self._transcoding()

    def job_finishing(self, job_id: str) -> None:
        if self._finishing is not None:
            self._finishing(self._service, job_id)

    def job_finished(self, job_id: str) -> None:
        wait_states.job_finished(job_id)

    def job_read(self, job_id: str) -> None:
        wait_states.job_read(job_id)


def _reroute(handler: logging.StreamHandler[Any], stream: Any) -> None:
    """Point a function's log handler at this run's log. The logger outlives a run (the layer is
    imported once a process), so the stream it had is an earlier run's file, and flushing that
    can fail (its disk filled up): what it held is lost either way, and this run's log must not
    fail because of it."""
    try:
        handler.setStream(stream)
    except OSError:
        handler.stream = stream


class LocalRuntime:
    """Use as a context manager; everything it stands up disappears on exit."""

    def __init__(
        self,
        template_path: Path,
        parameter_overrides: Mapping[str, str] | None = None,
        *,
        model: str | None = None,
        function_log: Path | None = None,
        stack_name: str = "reelscribe",
        mock_config_file: Path | None = None,
        job_finishing: JobFinishing | None = None,
        library: Path | None = None,
        engine_threads: int | None = None,
    ) -> None:
        """`job_finishing` hears of each emulated job as its engine is done, before its final
        status is set; it may take its time, as a slower engine would (tests jitter with it).
        `library` is the folder whose state outlives a run (an output folder's `.library`): the
        face collections (`faces/`), the tables the template keeps there (`tables/`) and the
        search index's database (`postgres/`), which starts in the background at once, so it is
        warm by the time a run indexes. Without one, that state lasts as long as the runtime
        (the database is made on first use and removed on exit). `engine_threads` is how many
        threads ffmpeg and Whisper each use (by default, what a single run uses: two)."""
        polls = MOCKED_POLL_PARAMETERS if mock_config_file else {}
        self.template = Template.load(
            template_path,
            {**polls, **(parameter_overrides or {})},
            stack_name=stack_name,
            region=REGION,
            account=ACCOUNT,
        )
        self._model = model
        self._engine_threads = engine_threads
        # Only a run or test that names a MockConfigFile gets its scripted responses.
        self._mocks = mock_config.MockConfig.load(mock_config_file) if mock_config_file else None
        self._function_log = function_log
        self._job_finishing = job_finishing
        self.library = library
        self._saved_env: dict[str, str | None] = {}
        self.notifications: list[Notification] = []
        self.router = interception.Router()
        self._subscribers: list[Subscriber] = []
        self._settled = threading.Condition()

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> LocalRuntime:
        # Whatever is stood up is taken down in reverse, on exit or if a later step fails.
        with ExitStack() as stack:
            self._saved_env = {key: os.environ.get(key) for key in _RUNTIME_ENV}
            os.environ.update(_RUNTIME_ENV)
            stack.callback(self._restore_env)
            # Before any session is made: botocore copies its handlers into each new one.
            moto_patches.install()
            stack.callback(moto_patches.uninstall)
            self._mock = mock_aws(config={"stepfunctions": {"execute_state_machine": True}})
            self._mock.start()
            stack.callback(self._mock.stop)
            if self._mocks is not None:
                mock_config.use(self._mocks)
                stack.callback(mock_config.release, self._mocks)
            interception.activate(self.router)
            stack.callback(interception.deactivate, self.router)
            self.session = boto3.Session(region_name=REGION)
            self.deployment: Deployment = deploy(self.template, self.session)
            self.functions = LocalFunctions(self.deployment.functions, dict(_RUNTIME_ENV))
            self.functions.on_cold_start = self._route_function_logs
            self._start_emulators(stack)
            self._keep_library_tables(stack)
            # The uploads and the results' downloads move whole media files: no aws-chunked
            # checksum trailer for moto to search the body for (see emulators.storage).
            # S3 tells EventBridge of a delete as of a put; moto does not: the runtime does.
            self.session.events.register("after-call.s3.DeleteObject", self._object_deleted)
            self.s3: Any = self.session.client("s3", config=SERVICE_SIDE)
            self.sfn: Any = self.session.client("stepfunctions")
            # Stopped hearing first on exit, so nothing is delivered while the rest goes down.
            execution_events.listen(self)
            stack.callback(execution_events.unlisten, self)
            history_events.listen(self._history_event)
            stack.callback(history_events.unlisten, self._history_event)
            self._exit = stack.pop_all()
        return self

    def _start_emulators(self, stack: ExitStack) -> None:
        store = ObjectStore(REGION, self.session)
        self._when_transcoding: list[Callable[[], None]] = []
        # A job's end ends the Wait of the loop that polls it, rather than its full interval.
        finishing = self._job_finishing
        self.mediaconvert = MediaConvertEmulator(
            store,
            REGION,
            ACCOUNT,
            watcher=_JobEvents(self._publish, "mediaconvert", finishing, self._transcoding),
            threads=self._engine_threads or FFMPEG_THREADS,
        )
        stack.callback(self.mediaconvert.close)
        self.transcribe = TranscribeEmulator(
            store,
            REGION,
            ACCOUNT,
            model=self._model,
            watcher=_JobEvents(None, "transcribe", finishing),
            cpu_threads=self._engine_threads or DEFAULT_CPU_THREADS,
        )
        stack.callback(self.transcribe.close)
        collections = FaceCollections(self.library / "faces" if self.library else None)
        self.rekognition = RekognitionEmulator(
            store,
            watcher=_JobEvents(None, "rekognition", finishing),
            collections=collections,
            region=REGION,
            account=ACCOUNT,
        )
        stack.callback(self.rekognition.close)
        comprehend = ComprehendEmulator()
        services: list[Any] = [self._library_service(stack)] if self.deployment.clusters else []
        for service in (
            *services,
            LambdaService(self.deployment, self.functions),
            self.mediaconvert,
            self.transcribe,
            self.rekognition,
            comprehend,
        ):
            service.register(self.router)
        for collection in self.deployment.collections.values():
            # Kept in the library from an earlier run, or made now; another run starting on the
            # same folder at the same moment may make it between the look and the making.
            if collection not in self.rekognition.faces.list_collections({})["CollectionIds"]:
                try:
                    self.rekognition.faces.create_collection({"CollectionId": collection})
                except ServiceError as error:
                    if error.code != "ResourceAlreadyExistsException":
                        raise
        # The engines load while the first transcode runs, when ffmpeg leaves part of a core
        # idle, rather than when the stages after it wait on them: the speech model for the
        # language the template names (Whisper base is assembled into the cache on first use),
        # and Whisper base in any case: a language given is checked by an identifying job.
        # Not before ffmpeg starts: their imports would hold the interpreter the states before
        # it need, and delay the transcode (and its first progress) by a quarter of a second.
        language = self.template.parameters.get("TranscribeLanguage")
        expected = None if language in (None, "auto") else language

        def warm_engines() -> None:
            comprehend.warm()
            self.rekognition.warm()
            self.transcribe.warm(expected, identify=True)

        self._when_transcoding.append(warm_engines)
        self.router.observe("sns", "Publish", lambda p: self.notifications.append(Notification(p)))

    def _transcoding(self) -> None:
        """The first transcode's ffmpeg starts: what loads in its shadow starts. Heard again with
        every progress of every transcode after it, when there is nothing left to start."""
        starts, self._when_transcoding = self._when_transcoding, []
        for start in starts:
            start()

    def _keep_library_tables(self, stack: ExitStack) -> None:
        """The tables the template keeps in the library (the people table) are filled from it,
        and written back when the runtime ends; without a library they last as long as it."""
        tables = library_tables(self.template, self.deployment.tables)
        if self.library is None or not tables:
            return
        kept = LibraryTables(self.library / "tables", tables, self.session.client("dynamodb"))
        kept.load()
        stack.callback(kept.save)

    def _library_service(self, stack: ExitStack) -> RdsDataEmulator:
        """The Data API over the library's PostgreSQL, for the template's Aurora cluster."""
        if self.library is None:
            folder = Path(tempfile.mkdtemp(prefix="reelscribe-library-"))
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
        else:
            folder = self.library
        database = database_for(folder)
        # Its stop is left to go on while the run's reports are drawn (see wait_for_stops).
        stack.callback(database.stop, wait=False)
        if self.library is not None:
            # Started when a video's transcode or a picture's analysis begins, long before its
            # Index Media: its first start (initdb) would otherwise take the CPU a run needs to
            # reach its first job.
            self._when_transcoding.append(database.start_in_background)
            self.router.observe(
                "rekognition", "DetectFaces", lambda _params: database.start_in_background()
            )
        self.database = database
        cluster_arn, secret_arn = next(iter(self.deployment.clusters.values()))
        rds_data = RdsDataEmulator(lambda: database, cluster_arn, secret_arn)
        stack.callback(rds_data.close)
        return rds_data

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._exit.close()

    def _restore_env(self) -> None:
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    def _route_function_logs(self, spec: Any) -> None:
        """Powertools logs JSON to stdout; here it goes to a file, the terminal shows progress."""
        service = spec.environment.get("POWERTOOLS_SERVICE_NAME", "service_undefined")
        logger = logging.getLogger(service)
        for handler in logger.handlers:
            if isinstance(handler, logging.StreamHandler) and not isinstance(
                handler, logging.FileHandler
            ):
                if self._function_log is None:
                    _reroute(handler, open(os.devnull, "w"))  # noqa: SIM115 - lives with the logger
                else:
                    self._function_log.parent.mkdir(parents=True, exist_ok=True)
                    _reroute(handler, self._function_log.open("a", encoding="utf-8"))

    # ------------------------------------------------------------------ the trigger
    @property
    def upload_bucket(self) -> str:
        return self.deployment.output("UploadBucketName")

    @property
    def output_bucket(self) -> str:
        return self.deployment.output("OutputBucketName")

    @property
    def objects(self) -> engine.EmulatedObjects:
        """The emulated S3's objects, read in place: for the folders a run writes."""
        return engine.EmulatedObjects(ACCOUNT)

    def upload(
        self, path: Path, key: str, metadata: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Put the file in the upload bucket, with the user metadata (x-amz-meta-*) given;
        return the EventBridge event S3 would send."""
        with path.open("rb") as handle:
            put = self.s3.put_object(
                Bucket=self.upload_bucket, Key=key, Body=handle, Metadata=metadata or {}
            )
        return self.object_created_event(
            key, path.stat().st_size, put["ETag"].strip('"'), put.get("VersionId")
        )

    def object_created_event(
        self, key: str, size: int, etag: str, version_id: str | None
    ) -> dict[str, Any]:
        return self._object_event(
            "Object Created", key, version_id, {"size": size, "etag": etag}, {"reason": "PutObject"}
        )

    def object_deleted_event(
        self, key: str, version_id: str | None, delete_marker: bool
    ) -> dict[str, Any]:
        # version_id is the deleted version's, or the delete marker's
        deletion = "Delete Marker Created" if delete_marker else "Permanently Deleted"
        return self._object_event(
            "Object Deleted",
            key,
            version_id,
            {},
            {"reason": "DeleteObject", "deletion-type": deletion},
        )

    def _object_event(
        self,
        detail_type: str,
        key: str,
        version_id: str | None,
        object_fields: dict[str, Any],
        detail_fields: dict[str, str],
    ) -> dict[str, Any]:
        """The EventBridge event S3 sends for the upload bucket's object, as AWS shapes it."""
        detail_object: dict[str, Any] = {
            # S3 URL-encodes keys in events: a space becomes '+', other bytes %XX.
            "key": quote_plus(key, safe="/"),
            **object_fields,
            "sequencer": hashlib.sha256(f"{key}{time.time_ns()}".encode()).hexdigest()[:18].upper(),
        }
        if version_id:
            detail_object["version-id"] = version_id
        detail = {
            "version": "0",
            "bucket": {"name": self.upload_bucket},
            "object": detail_object,
            "request-id": uuid.uuid4().hex[:16].upper(),
            "requester": ACCOUNT,
            "source-ip-address": "127.0.0.1",
            **detail_fields,
        }
        return _event("aws.s3", detail_type, f"arn:aws:s3:::{self.upload_bucket}", detail)

    def _object_deleted(
        self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any
    ) -> None:
        params = interception.params_of(context)
        if http_response.status_code >= 300 or params.get("Bucket") != self.upload_bucket:
            return
        self.dispatch(
            self.object_deleted_event(
                params["Key"], parsed.get("VersionId"), bool(parsed.get("DeleteMarker"))
            )
        )

    def dispatch(
        self, event: dict[str, Any], name_hint: str = "video", test_case: str | None = None
    ) -> list[str]:
        """Deliver the event as EventBridge would: to every rule whose pattern matches. Returns
        the executions it started; a function target runs before this returns."""
        executions = []
        for rule in self.deployment.rules:
            if not engine.matches(rule.pattern, event):
                continue
            if ":stateMachine:" in rule.target_arn:
                executions.append(
                    self.start_execution(rule.target_arn, event, name_hint, test_case)
                )
            elif ":function:" in rule.target_arn:
                self._invoke_target(rule.target_arn, event)
        return executions

    def _invoke_target(self, function_arn: str, event: dict[str, Any]) -> None:
        """EventBridge invokes a function asynchronously: its errors go to its log, not to the
        sender."""
        spec = self.deployment.function_for(function_arn)
        result = self.functions.invoke(spec, json.dumps(event).encode())
        if result.function_error:
            _LOG.warning(
                "%s failed on %s: %s", spec.logical_id, event["detail-type"], result.payload
            )

    # ------------------------------------------------------------------ what happens in a run
    def subscribe(self, subscriber: Subscriber) -> None:
        """Hear of states entered, MediaConvert jobs' progress and executions finished, as they
        happen (on the engine's threads)."""
        self._subscribers.append(subscriber)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        if subscriber in self._subscribers:
            self._subscribers.remove(subscriber)

    def _publish(self, event: RunEvent) -> None:
        for subscriber in list(self._subscribers):
            subscriber(event)

    def _history_event(self, execution_arn: str, event: dict[str, Any]) -> None:
        entered = event.get("stateEnteredEventDetails")
        if entered is not None and self._subscribers:
            self._publish(StateEntered(execution_arn, str(entered["name"]), event["timestamp"]))

    def execution_ended(self, described: dict[str, Any]) -> None:
        """Step Functions tells EventBridge of every execution that ends."""
        self.dispatch(self._status_change_event(described))

    def execution_settled(self, execution_arn: str) -> None:
        with self._settled:
            self._settled.notify_all()
        self._publish(ExecutionFinished(execution_arn, self.status(execution_arn)))

    def _status_change_event(self, described: dict[str, Any]) -> dict[str, Any]:
        arn = str(described["executionArn"])
        ending = ending_details(self.history(arn, last=1))
        output = described.get("output")
        detail = {
            "executionArn": arn,
            # A MockConfigFile test case runs as "<arn>#<case>"; the machine is the same.
            "stateMachineArn": str(described["stateMachineArn"]).partition("#")[0],
            "name": described["name"],
            "status": str(getattr(described["status"], "value", described["status"])),
            "startDate": _epoch_millis(described["startDate"]),
            "stopDate": _epoch_millis(described.get("stopDate")),
            "input": described.get("input"),
            "output": output,
            "inputDetails": {"included": True},
            "outputDetails": {"included": True} if output is not None else None,
            "error": described.get("error") or ending.get("error") or None,
            "cause": described.get("cause") or ending.get("cause") or None,
        }
        return _event("aws.states", "Step Functions Execution Status Change", arn, detail)

    def start_execution(
        self,
        state_machine_arn: str,
        payload: dict[str, Any],
        name_hint: str = "video",
        test_case: str | None = None,
    ) -> str:
        """Start an execution; `test_case` runs it as `<arn>#<TestCase>` from the MockConfigFile."""
        # Always name executions: moto's engine reuses ".../None" for unnamed ones.
        name = f"{slug(name_hint)[:60]}-{uuid.uuid4().hex[:12]}"
        target = f"{state_machine_arn}#{test_case}" if test_case else state_machine_arn
        response = self.sfn.start_execution(
            stateMachineArn=target, name=name, input=json.dumps(payload)
        )
        return str(response["executionArn"])

    # ------------------------------------------------------------------ observing
    def describe(self, execution_arn: str) -> dict[str, Any]:
        return dict(self.sfn.describe_execution(executionArn=execution_arn))

    def status(self, execution_arn: str) -> str:
        """The execution's status, read from the engine: cheap enough to ask many times a second."""
        return engine.status(ACCOUNT, REGION, execution_arn)

    def history(self, execution_arn: str, last: int | None = None) -> list[dict[str, Any]]:
        """GetExecutionHistory's events, oldest first (only the `last` few, if given), read from
        the engine rather than paged through the API, in the shape boto3 returns."""
        return engine.history(ACCOUNT, REGION, execution_arn, last)

    def release(self, execution_arn: str) -> None:
        """Forget a finished execution's history and state data, once its folder holds them:
        each is megabytes of Python objects (a 10 s clip's history is 1.6 MB of JSON), and a
        batch of fifty kept them all to its end. DescribeExecution still answers for it."""
        if self.finished(execution_arn):
            engine.release(ACCOUNT, REGION, execution_arn)

    def finished(self, execution_arn: str) -> bool:
        """The execution has ended, and so has what its end set off (its status change event's
        targets): its records and notifications are complete."""
        return self.status(execution_arn) in TERMINAL and execution_events.settled(execution_arn)

    def wait(self, execution_arn: str, timeout: float = 3600.0) -> dict[str, Any]:
        """DescribeExecution's answer once the execution has finished."""
        with self._settled:
            if not self._settled.wait_for(lambda: self.finished(execution_arn), timeout):
                status = self.status(execution_arn)
                raise ExecutionTimeoutError(f"{execution_arn} still {status} after {timeout:g} s")
        return self.describe(execution_arn)
