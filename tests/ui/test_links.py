"""A list's links to one view, reversed once: the same addresses `reverse` gives row by row."""

import pytest
from django.urls import reverse

from ui.links import link_maker


@pytest.mark.parametrize("view", ["coaching:log_detail", "coaching:timeline", "coaching:summary"])
def test_each_link_is_the_address_reverse_gives(view):
    link = link_maker(view)
    for pk in (1, 7, 918273645, 10**12):
        assert link(pk) == reverse(view, args=[pk])


def test_an_id_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError):
        link_maker("coaching:log_detail")("1/../../admin")
