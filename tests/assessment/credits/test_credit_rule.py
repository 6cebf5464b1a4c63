"""The ledger's rule (Q20): at most 30 credits of prior learning in all, refused with what is left."""

import pytest

from assessment.rules.credits import check_prior_learning, prior_learning_left
from ui.errors import RuleError


@pytest.mark.parametrize("claimed", [1, 29, 30])
def test_a_first_claim_of_up_to_30_credits_is_allowed(claimed):
    check_prior_learning(counted=0, claimed=claimed, cap=30)


def test_a_first_claim_of_31_credits_is_refused_naming_the_30_left():
    with pytest.raises(RuleError) as refused:
        check_prior_learning(counted=0, claimed=31, cap=30)
    assert refused.value.rule == "apl_cap"
    assert refused.value.field == "credits"
    assert "30 credits of the allowance are left" in refused.value.message


@pytest.mark.parametrize("claimed", [0, None, -5])
def test_no_credits_or_less_than_one_is_refused(claimed):
    with pytest.raises(RuleError) as refused:
        check_prior_learning(counted=0, claimed=claimed, cap=30)
    assert refused.value.rule == "apl_credits"


def test_with_29_counted_one_more_credit_fits_and_two_do_not():
    check_prior_learning(counted=29, claimed=1, cap=30)
    with pytest.raises(RuleError) as refused:
        check_prior_learning(counted=29, claimed=2, cap=30)
    assert "1 credit of the allowance is left" in refused.value.message


def test_with_30_counted_nothing_more_is_allowed_and_the_message_says_it_is_used_up():
    with pytest.raises(RuleError) as refused:
        check_prior_learning(counted=30, claimed=1, cap=30)
    assert "allowance of 30 credits is used up" in refused.value.message


def test_several_claims_add_up_against_the_allowance():
    counted = 0
    for claimed in (10, 15):
        check_prior_learning(counted=counted, claimed=claimed, cap=30)
        counted += claimed
    assert prior_learning_left(counted=counted, cap=30) == 5
    with pytest.raises(RuleError) as refused:
        check_prior_learning(counted=counted, claimed=10, cap=30)
    assert "5 credits of the allowance are left" in refused.value.message
    check_prior_learning(counted=counted, claimed=5, cap=30)


def test_the_allowance_is_the_programme_setting_not_a_constant():
    check_prior_learning(counted=30, claimed=10, cap=40)
    with pytest.raises(RuleError):
        check_prior_learning(counted=0, claimed=21, cap=20)


def test_what_is_left_is_never_negative():
    assert prior_learning_left(counted=35, cap=30) == 0
