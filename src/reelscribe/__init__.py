"""reelscribe: a serverless video pipeline that also runs locally, offline."""

from .runtime.moto_patches.startup import defer_batch_backend, defer_certificates

__version__ = "0.1.0"

# Before anything imports moto's ASL interpreter, or its IAM models.
defer_batch_backend()
defer_certificates()
