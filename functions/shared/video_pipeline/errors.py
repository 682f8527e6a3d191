"""Typed errors. A class name here is the errorType that the state machine's ErrorEquals matches."""


class PipelineError(Exception):
    """Base of every error the pipeline raises on purpose."""


class InvalidEventError(PipelineError):
    """A function's event is not the input it takes: its model names what is missing."""


class InvalidUploadEventError(InvalidEventError):
    """The trigger event is not an S3 Object Created event the pipeline understands."""


class UnreadableMediaError(PipelineError):
    """The upload could not be read as media (empty, corrupt, or not a media file)."""


class NotAVideoError(PipelineError):
    """The upload is media, but has no video track (for example an audio-only file)."""


class MediaTooLongError(PipelineError):
    """The media lasts longer than the template's MaxMediaSeconds accepts."""


class TranscriptReadError(PipelineError):
    """Transcribe reported success but its output could not be read or parsed."""


class VisionServiceBusyError(PipelineError):
    """Rekognition throttled a call or was briefly unavailable: worth retrying."""


class VisionJobLimitError(PipelineError):
    """Rekognition refused a start because the account's concurrent video jobs are at their
    limit; it holds until running jobs end, so it is retried for minutes."""


class VisionJobNotStartedError(PipelineError):
    """Rekognition refused to start a video analysis job; the reason says why."""


class VisionJobReadError(PipelineError):
    """A Rekognition video job's results could not be read or stored."""


class ThumbnailCopyError(PipelineError):
    """A frame capture that is there could not be copied into a thumbnail or the poster."""


class UnreadableImageError(PipelineError):
    """The upload is named as a picture but is not one Pillow can read (or it is cut off)."""


class ImageTooSmallError(PipelineError):
    """The picture is too small to show or analyse (a 1x1 tracking pixel, for example)."""


class ImageTooLargeError(PipelineError):
    """The picture has more pixels than Pillow's decompression-bomb limit allows."""


class InvalidAudioTrackError(PipelineError):
    """The audio track asked for is neither auto nor a track number."""


class AudioTrackNotFoundError(PipelineError):
    """The audio track asked for is not in the upload; the message lists the ones that are."""


class DatabaseResumingError(PipelineError):
    """Aurora Serverless was paused and is resuming (the Data API's DatabaseResumingException):
    worth retrying for the half minute a resume takes."""


class SearchIndexError(PipelineError):
    """The library's database refused a statement: the message is the database's."""


class SearchQueryError(PipelineError):
    """A search's parameters are not a query the library can answer: the message says which."""


class IndexSourceError(PipelineError):
    """A document the index is built from (transcript, analysis, vision view) could not be read."""


class InvalidPersonNameError(PipelineError):
    """A known face's name is empty or longer than 100 characters."""


class NoFaceFoundError(PipelineError):
    """A photo to enrol has no face clear enough to index: nothing was kept."""


class AmbiguousFaceError(PipelineError):
    """A photo to enrol has several faces and none clearly the largest: nothing was kept."""


class PersonNotFoundError(PipelineError):
    """No one of that name is enrolled."""


class FaceCollectionError(PipelineError):
    """Rekognition's face collection refused a call; the message says why."""
