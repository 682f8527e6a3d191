"""Offline speech recognition and the Amazon Transcribe documents made from it."""
