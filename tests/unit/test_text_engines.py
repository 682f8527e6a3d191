"""The offline engines behind Comprehend: sentiment labels and scores, key phrases, entities."""

from __future__ import annotations

import sys
import uuid
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reelscribe.text import entities, phrases, sentiment

COMPREHEND_ENTITY_TYPES = {
    "PERSON",
    "LOCATION",
    "ORGANIZATION",
    "COMMERCIAL_ITEM",
    "EVENT",
    "DATE",
    "QUANTITY",
    "TITLE",
    "OTHER",
}
SAMPLES = [
    "I love how simple this pipeline is, and the results are wonderful.",
    "The old system was slow, broken and frustrating.",
    "The next release is planned for June.",
    "The camera is excellent and beautiful, but the battery is awful and useless.",
    "I love this product. I hate the packaging.",
    "Yes",
    "...",
    "   ",
    "Not bad at all!!! 😀",
]


# ---------------------------------------------------------------------- sentiment
def test_sentiment_clearly_positive_sentence_is_positive() -> None:
    label, _ = sentiment.detect_sentiment(
        "I love how simple this pipeline is, and the results are wonderful."
    )
    assert label == "POSITIVE"


def test_sentiment_clearly_negative_sentence_is_negative() -> None:
    label, _ = sentiment.detect_sentiment("The old system was slow, broken and frustrating.")
    assert label == "NEGATIVE"


def test_sentiment_plain_statement_is_neutral() -> None:
    label, scores = sentiment.detect_sentiment("The next release is planned for June.")
    assert label == "NEUTRAL"
    assert scores["Neutral"] == pytest.approx(1.0)


def test_sentiment_strong_positive_and_negative_halves_is_mixed() -> None:
    text = "The camera is excellent and beautiful, but the battery is awful and useless."
    numbers = sentiment.vader_scores(text)
    label, _ = sentiment.detect_sentiment(text)
    # The documented rule: both shares substantial and within a factor of two of each other,
    # though VADER's compound alone leans past -0.5.
    assert numbers["pos"] >= 0.15
    assert numbers["neg"] >= 0.15
    assert numbers["compound"] < -0.5
    assert label == "MIXED"


def test_sentiment_opposite_sentences_is_mixed() -> None:
    label, _ = sentiment.detect_sentiment("I love this product. I hate the packaging.")
    assert label == "MIXED"


def test_sentiment_one_sided_but_sentence_is_not_mixed() -> None:
    label, _ = sentiment.detect_sentiment(
        "I love the new editor, but the export is terrible and broken."
    )
    assert label == "NEGATIVE"


def test_sentiment_long_document_with_one_mild_word_stays_neutral() -> None:
    # Scored as one text VADER's compound would reach 0.44 here; per sentence it stays near 0.
    text = "The file is uploaded to the bucket. " * 20 + "The result is good."
    label, _ = sentiment.detect_sentiment(text)
    assert label == "NEUTRAL"


@pytest.mark.parametrize("text", SAMPLES)
def test_sentiment_scores_any_text_sum_to_one_with_label_highest(text: str) -> None:
    label, scores = sentiment.detect_sentiment(text)
    assert set(scores) == {"Positive", "Negative", "Neutral", "Mixed"}
    assert sum(scores.values()) == pytest.approx(1.0, abs=1e-9)
    assert all(0.0 <= value <= 1.0 for value in scores.values())
    assert scores[label.capitalize()] == max(scores.values())


@pytest.mark.parametrize(
    ("pos", "neg", "compound", "expected"),
    [
        (0.3, 0.0, 0.05, "POSITIVE"),
        (0.3, 0.0, 0.049, "NEUTRAL"),
        (0.0, 0.3, -0.05, "NEGATIVE"),
        (0.0, 0.3, -0.049, "NEUTRAL"),
        (0.15, 0.30, -0.9, "MIXED"),
        (0.149, 0.30, -0.9, "NEGATIVE"),
        (0.20, 0.41, -0.2, "NEGATIVE"),
    ],
)
def test_sentiment_label_at_documented_thresholds_is_as_documented(
    pos: float, neg: float, compound: float, expected: str
) -> None:
    assert sentiment.label_for(pos, neg, compound) == expected


# ---------------------------------------------------------------------- key phrases
def test_key_phrases_cloud_sentence_includes_amazon_web_services_at_its_offsets() -> None:
    text = "Every video is stored in the cloud by Amazon Web Services."
    found = {phrase["Text"]: phrase for phrase in phrases.detect_key_phrases(text)}
    assert "Amazon Web Services" in found
    phrase = found["Amazon Web Services"]
    assert (phrase["BeginOffset"], phrase["EndOffset"]) == (38, 57)
    assert text[phrase["BeginOffset"] : phrase["EndOffset"]] == "Amazon Web Services"
    # Its fragments overlap it, so they are not reported beside it.
    assert "Web Services" not in found
    assert "Amazon Web" not in found


def test_key_phrases_spread_whitespace_and_accents_slice_to_text() -> None:
    text = "Café Müller serves crème brûlée in Zürich.\nThe  crème brûlée\tis famous."
    result = phrases.detect_key_phrases(text)
    assert result
    for phrase in result:
        assert text[phrase["BeginOffset"] : phrase["EndOffset"]] == phrase["Text"]


def test_key_phrases_any_document_are_scored_ordered_and_disjoint() -> None:
    text = (
        "The pipeline transcodes every upload with MediaConvert. Transcribe writes the "
        "transcript, and the pipeline stores the transcript beside the video. Every video "
        "gets captions, a thumbnail and a summary of the transcript."
    )
    result = phrases.detect_key_phrases(text)
    assert result
    assert all(0.0 < phrase["Score"] <= 1.0 for phrase in result)
    spans = [(phrase["BeginOffset"], phrase["EndOffset"]) for phrase in result]
    assert spans == sorted(spans)
    assert all(end <= next_begin for (_, end), (next_begin, _) in pairwise(spans))


def test_key_phrases_limit_caps_the_count() -> None:
    text = (
        "Transcoding, captioning, thumbnails, summaries, sentiment, key phrases, entities, "
        "languages, renditions, playlists, manifests, notifications and retries."
    )
    assert len(phrases.detect_key_phrases(text, limit=3)) == 3
    assert len(phrases.detect_key_phrases(text)) <= phrases.DEFAULT_LIMIT


def test_key_phrases_stop_words_only_returns_nothing() -> None:
    assert phrases.detect_key_phrases("and the of it") == []


def test_key_phrases_yake_score_maps_lower_to_higher() -> None:
    assert phrases.yake_to_score(0.0) == 1.0
    assert phrases.yake_to_score(1.0) == 0.5
    assert phrases.yake_to_score(0.01) > phrases.yake_to_score(0.3)


_WORDS = st.sampled_from(
    ["video", "Video", "cloud", "Amazon", "web", "services", "the", "and", "is", "fast", "très"]
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(_WORDS, st.sampled_from([" ", "  ", ", ", ". ", "\n"])), min_size=1, max_size=40
    )
)
def test_key_phrases_generated_text_offsets_slice_and_never_overlap(
    pieces: list[tuple[str, str]],
) -> None:
    text = "".join(word + gap for word, gap in pieces)
    result = phrases.detect_key_phrases(text)
    spans = []
    for phrase in result:
        begin, end = phrase["BeginOffset"], phrase["EndOffset"]
        assert text[begin:end] == phrase["Text"]
        spans.append((begin, end))
    assert all(end <= next_begin for (_, end), (next_begin, _) in pairwise(spans))


# ---------------------------------------------------------------------- entities
def test_entities_without_spacy_raise_unavailable_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # A None entry makes `import spacy` fail, as it does where spaCy is not installed; a model
    # name never tried before keeps any pipeline already loaded in this process out of it.
    monkeypatch.setitem(sys.modules, "spacy", None)
    monkeypatch.setenv(entities.MODEL_ENV_VAR, f"no_such_model_{uuid.uuid4().hex}")
    with pytest.raises(entities.EntitiesUnavailableError) as raised:
        entities.detect_entities("Alice Johnson moved to Paris in June 2021.")
    assert str(raised.value) == (
        "Entity detection needs a spaCy English model (pip install spacy and a model such as "
        "en_core_web_sm); none is installed, so no entities were detected."
    )
    assert not entities.available()


def test_entities_spacy_labels_map_only_to_comprehend_types() -> None:
    assert set(entities.SPACY_TO_COMPREHEND.values()) <= COMPREHEND_ENTITY_TYPES


def test_entities_with_spacy_model_are_typed_at_their_offsets() -> None:
    # The local install ships spaCy's English model as a hash-pinned wheel: no skip.
    assert entities.available()
    text = "Alice Johnson moved to Paris in June 2021."
    found = entities.detect_entities(text)
    assert found
    for entity in found:
        assert entity["Type"] in COMPREHEND_ENTITY_TYPES
        assert text[entity["BeginOffset"] : entity["EndOffset"]] == entity["Text"]
    by_text = {entity["Text"]: entity["Type"] for entity in found}
    assert by_text.get("Paris") == "LOCATION"
