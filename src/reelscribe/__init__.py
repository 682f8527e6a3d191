"""reelscribe: a serverless video pipeline that also runs locally, offline."""

__version__ = "0.1.0"
