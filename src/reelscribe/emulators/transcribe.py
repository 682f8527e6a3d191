"""Amazon Transcribe's StartTranscriptionJob and GetTranscriptionJob, over faster-whisper.

The job writes the same JSON document Transcribe writes, to the same OutputBucketName and
OutputKey, and moves QUEUED -> IN_PROGRESS -> COMPLETED or FAILED with a FailureReason.
IdentifyLanguage jobs identify the language among the job's LanguageOptions (or among every
language the service knows), report `language_identification` scores, and are transcribed
in the language heard. What the local models cannot do (identify a language with only an
English-only model, or transcribe another language with one) is refused at StartTranscriptionJob
with BadRequestException, as the service refuses what it cannot serve, rather than transcribed
in the wrong language.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import botocore.session
from botocore.model import StringShape

from ..runtime.interception import Router, ServiceError
from ..speech import languages, transcribe_document, whisper
from ..speech import models as whisper_models
from .jobs import JobWatcher
from .storage import ObjectStore, split_s3_uri
from .warming import Warming

_JOB_NAME = re.compile(r"^[0-9a-zA-Z._-]+$")


@functools.cache
def _language_codes() -> frozenset[str]:
    """The language codes the real service takes, from its own API model."""
    model = botocore.session.get_session().get_service_model("transcribe")
    # shape_for is typed as the base Shape; LanguageCode is a string enum in the model.
    shape = cast(StringShape, model.shape_for("LanguageCode"))
    return frozenset(shape.enum)


_FINAL = {"COMPLETED", "FAILED"}
_MEDIA_FORMATS = {"mp3", "mp4", "wav", "flac", "ogg", "amr", "webm", "m4a"}


def _now() -> datetime:
    return datetime.now(UTC)


class TranscribeEmulator:
    def __init__(
        self,
        store: ObjectStore,
        region: str,
        account: str,
        model: str | None = None,
        workers: int = 1,
        watcher: JobWatcher | None = None,
        cpu_threads: int = whisper_models.DEFAULT_CPU_THREADS,
    ) -> None:
        self._store = store
        self._cpu_threads = cpu_threads
        self._watcher = watcher
        self._region, self._account = region, account
        self._model = model
        self._jobs: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="transcribe")
        self._warming = Warming("transcribe-warm")
        self.workdir = Path(tempfile.mkdtemp(prefix="reelscribe-transcribe-"))

    def warm(self, language_code: str | None = None, *, identify: bool = False) -> None:
        """Load, in the background and once, the speech models the jobs will need, so the first
        job does not wait on them: for `language_code` (such as en-US) the one that transcribes
        it, with `identify` (jobs will identify a language too) the multilingual one as well,
        and with no language both. A model that cannot load is left for the job to report."""
        self._warming.start(self._load_models, language_code, identify)

    def _load_models(self, language_code: str | None, identify: bool) -> None:
        try:
            models = whisper.resolve_models(self._model)
            needed: list[str | None]
            if language_code:
                needed = [models.for_language(languages.code_to_whisper_language(language_code))]
                if identify:
                    needed.append(models.multilingual)
            else:
                needed = [models.english, models.multilingual]
            for model in dict.fromkeys(needed):
                if model is not None:
                    whisper_models.load(model, self._cpu_threads)
        except (whisper.SpeechError, ValueError):
            pass  # the job that needs the model fails with this reason

    def register(self, router: Router) -> None:
        router.answer("transcribe", "StartTranscriptionJob", self.start)
        router.answer("transcribe", "GetTranscriptionJob", self.get)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def start(self, params: dict[str, Any]) -> dict[str, Any]:
        name = str(params.get("TranscriptionJobName", ""))
        if not _JOB_NAME.match(name) or len(name) > 200:
            raise ServiceError(
                "BadRequestException",
                "TranscriptionJobName must match ^[0-9a-zA-Z._-]+ (200 at most)",
            )
        media_format = params.get("MediaFormat")
        if media_format is not None and media_format not in _MEDIA_FORMATS:
            raise ServiceError(
                "BadRequestException", f"MediaFormat {media_format} is not supported"
            )
        media_uri = str((params.get("Media") or {}).get("MediaFileUri", ""))
        split_s3_uri(media_uri)
        identify = bool(params.get("IdentifyLanguage"))
        language = params.get("LanguageCode")
        if identify == bool(language):
            raise ServiceError(
                "BadRequestException",
                "Give either LanguageCode or IdentifyLanguage, not both or neither",
            )
        options = [str(option) for option in params.get("LanguageOptions") or []]
        if options and not identify:
            raise ServiceError(
                "BadRequestException",
                "LanguageOptions can only be given with IdentifyLanguage or "
                "IdentifyMultipleLanguages",
            )
        for field, value in [("languageCode", language)] + [
            ("languageOptions", o) for o in options
        ]:
            if value and value not in _language_codes():
                raise ServiceError(
                    "BadRequestException",
                    f"1 validation error detected: Value '{value}' at '{field}' failed to "
                    "satisfy constraint: Member must satisfy enum value set of Transcribe's "
                    "language codes",
                )
        self._check_models(language, options)
        output_bucket = params.get("OutputBucketName")
        output_key = params.get("OutputKey") or f"{name}.json"
        with self._lock:
            if name in self._jobs:
                raise ServiceError(
                    "ConflictException",
                    "The requested job name already exists. Use a different job name.",
                )
            job: dict[str, Any] = {
                "TranscriptionJobName": name,
                "TranscriptionJobStatus": "QUEUED",
                "MediaFormat": media_format,
                "Media": {"MediaFileUri": media_uri},
                "CreationTime": _now(),
            }
            if language:
                job["LanguageCode"] = language
            if identify:
                job["IdentifyLanguage"] = True
            if options:
                job["LanguageOptions"] = options
            self._jobs[name] = job
            answer = {"TranscriptionJob": dict(job)}  # as queued, before the worker moves it on
        self._pool.submit(self._run, name, media_uri, language, options, output_bucket, output_key)
        return answer

    def _check_models(self, language: str | None, options: list[str]) -> None:
        """Refuse, before any work, a job the local models cannot do in its language."""
        try:
            models = whisper.resolve_models(self._model)
            if language:
                heard = languages.code_to_whisper_language(language)
                if heard not in languages.whisper_languages():
                    raise whisper.UnsupportedLanguageError(
                        f"speech in {language} cannot be transcribed: Whisper has no {heard!r}"
                    )
                models.check_language(heard, language)
            else:
                models.check_identification()
                if options and not languages.candidates(_language_codes(), options) & (
                    languages.whisper_languages()
                ):
                    raise whisper.UnsupportedLanguageError(
                        f"none of the LanguageOptions ({', '.join(options)}) is a language "
                        "Whisper knows"
                    )
        except whisper.SpeechError as error:
            raise ServiceError(
                "BadRequestException", f"The local Transcribe cannot run this job: {error}"
            ) from None

    def get(self, params: dict[str, Any]) -> dict[str, Any]:
        name = str(params.get("TranscriptionJobName", ""))
        with self._lock:
            if name not in self._jobs:
                raise ServiceError(
                    "NotFoundException",
                    "The requested job couldn't be found. Check the job name and try again.",
                )
            job = dict(self._jobs[name])
        if self._watcher is not None and job["TranscriptionJobStatus"] in _FINAL:
            self._watcher.job_read(name)
        return {"TranscriptionJob": job}

    def _update(self, name: str, **changes: Any) -> None:
        with self._lock:
            self._jobs[name].update(changes)

    def _finish(self, name: str, status: str, **changes: Any) -> None:
        if self._watcher is not None:
            self._watcher.job_finishing(name)
        with self._lock:
            self._jobs[name].update(TranscriptionJobStatus=status, CompletionTime=_now(), **changes)
            # With the status, under the lock reads take: none sees it before the watcher.
            if self._watcher is not None:
                self._watcher.job_finished(name)

    def _run(
        self,
        name: str,
        media_uri: str,
        language: str | None,
        options: list[str],
        bucket: str | None,
        key: str,
    ) -> None:
        self._update(name, TranscriptionJobStatus="IN_PROGRESS", StartTime=_now())
        scratch = Path(tempfile.mkdtemp(dir=self.workdir))
        try:
            audio = self._store.download(media_uri, scratch / Path(media_uri).name)
            whisper_language = languages.code_to_whisper_language(language) if language else None
            candidates = languages.candidates(_language_codes(), options)

            def identified(scores: whisper.Scores) -> None:
                # The service answers LanguageCode and IdentifiedLanguageScore as soon as it
                # has identified, while it still transcribes: so does this job.
                self._update(
                    name,
                    LanguageCode=languages.locale_for(scores[0][0], options),
                    IdentifiedLanguageScore=round(scores[0][1], 4),
                )

            recognition = whisper.recognize(
                audio,
                language=whisper_language,
                model=self._model,
                candidates=candidates,
                on_identified=identified,
                cpu_threads=self._cpu_threads,
            )
            code = language or languages.locale_for(recognition.language, options)
            document = transcribe_document.transcribe_document(
                recognition,
                job_name=name,
                account_id=self._account,
                language_code=code,
                identified=language is None,
                language_scores=[
                    (languages.locale_for(lang, options), score)
                    for lang, score in recognition.language_scores
                ],
            )
            if bucket:
                uri = f"s3://{bucket}/{key}"
                file_uri = f"https://s3.{self._region}.amazonaws.com/{bucket}/{key}"
            else:
                uri = file_uri = (
                    f"s3://aws-transcribe-{self._region}-prod/{self._account}/{name}.json"
                )
            self._store.put_bytes(uri, json.dumps(document).encode(), "application/json")
            done: dict[str, Any] = {
                "LanguageCode": code,
                "Transcript": {"TranscriptFileUri": file_uri},
            }
            if language is None:
                done["IdentifiedLanguageScore"] = round(recognition.language_probability, 4)
            self._finish(name, "COMPLETED", **done)
        except (whisper.SpeechError, ServiceError) as error:
            self._finish(name, "FAILED", FailureReason=str(error))
        except Exception as error:  # noqa: BLE001 - a job must never stay IN_PROGRESS
            self._finish(
                name, "FAILED", FailureReason=f"Internal failure: {type(error).__name__}: {error}"
            )
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
