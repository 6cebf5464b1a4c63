"""Chromium understands every browser feature the Permissions-Policy names (an unknown one is
reported on the console), turns off what the portal does not use, and keeps fullscreen for it."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chromium_accepts_the_permissions_policy_and_applies_it(live_server, page):
    complaints: list[str] = []
    page.on(
        "console",
        lambda m: complaints.append(m.text) if "Permissions-Policy" in m.text or "Cross-Origin" in m.text else None,
    )
    response = page.goto(f"{live_server.url}/accounts/login/")
    assert response.status == 200
    assert response.headers["cross-origin-opener-policy"] == "same-origin"
    assert response.headers["cross-origin-resource-policy"] == "same-origin"
    page.wait_for_load_state("load")
    assert complaints == []
    allows = "feature => document.featurePolicy.allowsFeature(feature)"
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "autoplay", "display-capture"):
        assert page.evaluate(allows, feature) is False, feature
    assert page.evaluate(allows, "fullscreen") is True
    # The page's own stylesheet and script still load under the resource policy.
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != ""
    assert page.evaluate("document.styleSheets.length") >= 1
