"""What to do after one attempt: retry, block or give up (crawler.retry)."""

from __future__ import annotations

import random

import pytest

from crawler.retry import Block, GiveUp, Outcome, Retry, RetryPolicy

RETRIED = [Outcome.TRANSIENT, Outcome.SERVER_ERROR]


def retry_delay(decision: object) -> float:
    assert isinstance(decision, Retry), decision
    return decision.delay_seconds


@pytest.mark.parametrize("outcome", RETRIED)
def test_backoff_doubles_per_attempt_without_jitter(outcome: Outcome) -> None:
    policy = RetryPolicy(max_attempts=6, base_delay_seconds=1.0, max_delay_seconds=60.0, jitter=0)

    delays = [retry_delay(policy.decide(outcome, attempt)) for attempt in range(1, 6)]

    assert delays == [1.0, 2.0, 4.0, 8.0, 16.0]


@pytest.mark.parametrize("outcome", RETRIED)
def test_backoff_is_capped_at_max_delay(outcome: Outcome) -> None:
    policy = RetryPolicy(max_attempts=20, base_delay_seconds=1.0, max_delay_seconds=10.0, jitter=0)

    delays = [retry_delay(policy.decide(outcome, attempt)) for attempt in range(1, 20)]

    assert delays[:4] == [1.0, 2.0, 4.0, 8.0]
    assert delays[4:] == [10.0] * 15


def test_jitter_only_adds_and_is_reproducible_with_a_seeded_random() -> None:
    policy = RetryPolicy(max_attempts=10, base_delay_seconds=2, max_delay_seconds=30, jitter=0.5)

    first = [
        retry_delay(policy.decide(Outcome.TRANSIENT, attempt, rng=random.Random(1234)))
        for attempt in range(1, 10)
    ]
    again = [
        retry_delay(policy.decide(Outcome.TRANSIENT, attempt, rng=random.Random(1234)))
        for attempt in range(1, 10)
    ]

    expected_draw = random.Random(1234).random()
    for attempt, delay in enumerate(first, start=1):
        backoff = 2.0 * 2 ** (attempt - 1)
        # Jitter is added first, then the cap applies: no delay ever exceeds the cap.
        assert delay == pytest.approx(min(backoff * (1 + 0.5 * expected_draw), 30.0))
    assert first == again


def test_jitter_stays_within_its_fraction_over_many_draws() -> None:
    policy = RetryPolicy(max_attempts=10, base_delay_seconds=1, max_delay_seconds=60, jitter=0.5)
    rng = random.Random(99)

    for attempt in range(1, 10):
        backoff = min(2 ** (attempt - 1), 60.0)
        delays = [
            retry_delay(policy.decide(Outcome.SERVER_ERROR, attempt, rng=rng)) for _ in range(200)
        ]
        assert min(delays) >= backoff
        assert max(delays) <= min(backoff * 1.5, 60.0)
        if backoff < 60.0:
            assert max(delays) > min(delays), "jitter must actually vary the delay"


def test_delay_never_decreases_with_the_attempt_number() -> None:
    policy = RetryPolicy(max_attempts=12, base_delay_seconds=0.5, max_delay_seconds=20.0, jitter=0)

    delays = [retry_delay(policy.decide(Outcome.TRANSIENT, a)) for a in range(1, 12)]

    assert delays == sorted(delays)


@pytest.mark.parametrize("outcome", RETRIED)
@pytest.mark.parametrize("max_attempts", [1, 3, 4])
def test_gives_up_once_max_attempts_is_reached(outcome: Outcome, max_attempts: int) -> None:
    policy = RetryPolicy(max_attempts=max_attempts)

    for attempt in range(1, max_attempts):
        assert isinstance(policy.decide(outcome, attempt, rng=random.Random(0)), Retry)
    final = policy.decide(outcome, max_attempts)

    assert isinstance(final, GiveUp)
    assert outcome.value in final.reason
    assert f"{max_attempts} attempt" in final.reason
    assert isinstance(policy.decide(outcome, max_attempts + 5), GiveUp)


@pytest.mark.parametrize("attempt", [1, 2, 4, 5, 100])
def test_rate_limited_always_blocks_regardless_of_attempt(attempt: int) -> None:
    policy = RetryPolicy(max_attempts=4)

    assert policy.decide(Outcome.RATE_LIMITED, attempt) == Block()
    assert policy.decide(Outcome.RATE_LIMITED, attempt, retry_after_seconds=1.0) == Block()


@pytest.mark.parametrize("outcome", [Outcome.NOT_FOUND, Outcome.CLIENT_ERROR])
def test_absent_objects_and_other_client_errors_give_up_on_the_first_attempt(
    outcome: Outcome,
) -> None:
    policy = RetryPolicy(max_attempts=10)

    decision = policy.decide(outcome, 1, retry_after_seconds=5.0)

    assert decision == GiveUp(outcome.value)


def test_retry_after_is_a_minimum_never_a_shortcut() -> None:
    policy = RetryPolicy(max_attempts=5, base_delay_seconds=4.0, max_delay_seconds=60.0, jitter=0)

    longer = policy.decide(Outcome.SERVER_ERROR, 1, retry_after_seconds=30.0)
    shorter = policy.decide(Outcome.SERVER_ERROR, 1, retry_after_seconds=0.5)
    beyond_cap = policy.decide(Outcome.SERVER_ERROR, 1, retry_after_seconds=120.0)

    assert retry_delay(longer) == 30.0
    assert retry_delay(shorter) == 4.0
    assert retry_delay(beyond_cap) == 120.0


def test_retry_after_does_not_extend_the_number_of_attempts() -> None:
    policy = RetryPolicy(max_attempts=2)

    assert isinstance(policy.decide(Outcome.SERVER_ERROR, 2, retry_after_seconds=1.0), GiveUp)


@pytest.mark.parametrize("outcome", [Outcome.OK, Outcome.NOT_MODIFIED])
def test_deciding_after_a_success_is_an_error(outcome: Outcome) -> None:
    with pytest.raises(ValueError, match="nothing to decide"):
        RetryPolicy().decide(outcome, 1)
