"""How often and how many times the state machine checks a job."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from video_pipeline.polling import MAX_POLLS, poll_plan

MIN_WAIT, MAX_WAIT = 5, 60  # the template's defaults
FOUR_HOURS = 4 * 3600.0  # Transcribe's longest input

durations = st.floats(min_value=0.1, max_value=FOUR_HOURS, allow_nan=False)


def test_poll_plan_short_clip_gets_the_minimum_wait() -> None:
    # Given a 12 second clip / Then its job is checked every MinPollSeconds
    assert poll_plan(12.0, MIN_WAIT, MAX_WAIT).waitSeconds == MIN_WAIT


def test_poll_plan_ten_minute_video_gets_the_maximum_wait() -> None:
    # Given a ten-minute video / Then it is checked once a minute, not every 5 s
    assert poll_plan(600.0, MIN_WAIT, MAX_WAIT).waitSeconds == MAX_WAIT


def test_poll_plan_feature_film_waits_longer_than_the_maximum() -> None:
    # Given a two-hour film / Then its checks are spread out rather than made more often
    plan = poll_plan(2 * 3600.0, MIN_WAIT, MAX_WAIT)
    assert plan.waitSeconds > MAX_WAIT
    assert plan.maxPolls <= MAX_POLLS


def test_poll_plan_mid_length_video_waits_in_between() -> None:
    wait = poll_plan(300.0, MIN_WAIT, MAX_WAIT).waitSeconds
    assert MIN_WAIT < wait < MAX_WAIT


def test_poll_plan_local_parameters_bound_the_wait() -> None:
    # Given tight bounds, such as a MockConfigFile run's one second
    assert poll_plan(20.0, 1, 2).waitSeconds == 2
    assert poll_plan(3.0, 1, 2).waitSeconds == 1


def test_poll_plan_new_plan_starts_at_zero_polls() -> None:
    assert poll_plan(60.0, MIN_WAIT, MAX_WAIT).polls == 0


@given(durations)
def test_poll_plan_any_duration_waits_at_least_the_minimum(duration: float) -> None:
    plan = poll_plan(duration, MIN_WAIT, MAX_WAIT)
    assert plan.waitSeconds >= MIN_WAIT
    # ... and past the maximum only when the checks would otherwise be too many
    if plan.waitSeconds > MAX_WAIT:
        assert duration * 4 > MAX_POLLS * MAX_WAIT


@given(durations)
def test_poll_plan_any_duration_allows_longer_than_the_media_plus_a_queue(duration: float) -> None:
    # A job runs for about as long as its media, or longer when queued: the polls must
    # outlast that, or a healthy job is reported as timed out
    plan = poll_plan(duration, MIN_WAIT, MAX_WAIT)

    assert plan.maxPolls * plan.waitSeconds >= 4 * duration
    assert plan.maxPolls * plan.waitSeconds > duration + 300
    assert plan.maxPolls >= 3


@given(durations, st.integers(1, 60), st.integers(1, 3600))
def test_poll_plan_any_duration_and_bounds_check_at_most_max_polls(
    duration: float, min_wait: int, max_wait: int
) -> None:
    # Every loop's history is bounded, whatever the template's poll parameters
    assert poll_plan(duration, min_wait, max(min_wait, max_wait)).maxPolls <= MAX_POLLS


@given(durations, durations)
def test_poll_plan_longer_media_never_waits_less(first: float, second: float) -> None:
    short, long = sorted((first, second))
    assert (
        poll_plan(short, MIN_WAIT, MAX_WAIT).waitSeconds
        <= poll_plan(long, MIN_WAIT, MAX_WAIT).waitSeconds
    )
