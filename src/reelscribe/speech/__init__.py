"""Offline speech recognition and the Amazon Transcribe documents made from it."""

import os

# faster-whisper's engine, CTranslate2, runs on OpenMP, whose idle threads spin between the
# decoder's steps by default. Beside the video analysis on two cores, that spinning took about
# four CPU seconds of a one-minute clip from it; passive threads sleep instead, and recognition
# measured no slower. OpenMP reads this once, when it loads (faster-whisper is imported only
# under this package); a setting of the user's own stands.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
