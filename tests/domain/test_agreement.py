"""Inter-rater agreement (app/domain/agreement.py) against published worked examples."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.agreement import agreement, quadratic_kappa

FIRST = [9, 7, 8, 7, 6, 8, 3, 5, 10]


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        # Maple's EssayTools[QuadraticWeightedKappa] help page, examples 1 and 2 (scores 1..10).
        ([8, 8, 6, 6, 7, 6, 1, 4, 8], 0.758620689655172),
        ([3, 5, 6, 6, 7, 6, 1, 4, 8], 0.438095238095238),
    ],
)
def test_quadratic_kappa_matches_published_examples(second, expected):
    assert quadratic_kappa(list(zip(FIRST, second, strict=True)), range(1, 11)) == pytest.approx(expected, abs=1e-12)


def test_two_levels_give_cohens_kappa():
    """With two levels every weighting is Cohen's kappa: Wikipedia's example (20, 5, 10, 15) gives 0.4."""
    pairs = [(1, 1)] * 20 + [(1, 0)] * 5 + [(0, 1)] * 10 + [(0, 0)] * 15
    assert quadratic_kappa(pairs, [0, 1]) == pytest.approx(0.4)


def test_the_default_levels_are_the_whole_range_not_only_those_used():
    pairs = list(zip(FIRST, [8, 8, 6, 6, 7, 6, 1, 4, 8], strict=True))
    assert quadratic_kappa(pairs) == pytest.approx(quadratic_kappa(pairs, range(1, 11)))


def test_agreement_counts_exact_and_adjacent_levels_by_position():
    pairs = [(0, 0), (2, 4), (0, 4), (4, 4)]  # a criterion scored 0, 2, 4
    result = agreement(pairs, [0, 2, 4])
    assert (result.pairs, result.exact, result.adjacent) == (4, 0.5, 0.75)


def test_undefined_without_pairs_or_without_spread():
    assert agreement([]) == agreement([], [0, 1, 2])
    assert agreement([]).kappa is None and agreement([]).exact is None
    assert quadratic_kappa([(2, 2), (2, 2)], [0, 1, 2, 3]) is None
    assert agreement([(2, 2), (2, 2)], [0, 1, 2, 3]).exact == 1.0


grades = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=60)


@given(st.lists(st.integers(0, 3), min_size=2, max_size=60).filter(lambda v: len(set(v)) > 1))
def test_identical_grades_agree_perfectly(levels):
    assert quadratic_kappa([(v, v) for v in levels], range(4)) == pytest.approx(1.0)
    assert agreement([(v, v) for v in levels], range(4)).exact == 1.0


@given(grades)
def test_swapping_graders_changes_nothing(pairs):
    assert agreement(pairs, range(4)) == agreement([(b, a) for a, b in pairs], range(4))


@given(grades)
def test_kappa_is_at_most_one_and_shares_are_proportions(pairs):
    result = agreement(pairs, range(4))
    assert result.kappa is None or result.kappa <= 1 + 1e-12
    assert 0 <= result.exact <= result.adjacent <= 1
