"""What is on screen, offline: detectors whose weights ship in their wheels.

``video.analyse`` runs shots and black frames (PySceneDetect), text (RapidOCR), faces
(CenterFace) and moderation (NudeNet) over a video in one decoding pass; ``images`` runs the
last three on a picture. Results are in Amazon Rekognition's shapes.
"""
