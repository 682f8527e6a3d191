"""Offline text analysis behind the Amazon Comprehend emulator: sentiment, key phrases, entities.

Each engine is loaded once, on first use, and is safe to call from several threads.
"""
