"""What every page loads: a stylesheet with only the components used, a favicon, a description."""

import re
import subprocess
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from wagtail.models import Site

from handbook.models import HomePage

ROOT = Path(__file__).resolve().parents[2]
STYLESHEET = ROOT / "assets" / "scss" / "portal.scss"
COMPONENTS = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "components"


def _templates_and_code() -> list[Path]:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / name for name in tracked.split() if name.endswith((".html", ".py", ".js"))]


def test_every_gov_uk_component_a_template_uses_is_in_the_stylesheet():
    if not COMPONENTS.exists():
        pytest.skip("needs the front-end packages (npm ci)")
    components = sorted(p.name for p in COMPONENTS.iterdir() if p.is_dir())
    text = "\n".join(path.read_text(errors="ignore") for path in _templates_and_code())
    imported = set(re.findall(r'@use "govuk-frontend/dist/govuk/components/([a-z-]+)"', STYLESHEET.read_text()))
    used = {name for name in components if re.search(rf"govuk-{name}(?![a-z-])|govuk-{name}(__|--)", text)}
    assert used <= imported, f"add to assets/scss/portal.scss: {sorted(used - imported)}"
    assert "tabs" not in imported  # and the unused ones stay out


def test_a_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert finders.find("favicon.ico")
    assert finders.find("favicon.svg")
    assert 'rel="icon"' in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_a_public_page_has_a_meta_description(client):
    home = Site.objects.get(is_default_site=True).root_page.add_child(
        instance=HomePage(title="Welcome", slug="welcome", intro="Practice-based professional learning for teachers.")
    )
    body = client.get(home.url).content.decode()
    assert '<meta name="description" content="Practice-based professional learning for teachers.">' in body


def test_the_sign_in_page_has_a_meta_description(client, db):
    assert '<meta name="description" content="The MTL Portal:' in client.get("/accounts/login/").content.decode()
