"""The research library (journey 7): a participant summarises an enquiry, their tutor approves it
or returns it, the participant publishes it with their consent and no pupil data, the public can
find it, and the participant can withdraw it, after which its address answers 404."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from handbook.library import library_index
from handbook.models import LibraryIndexPage, LibraryPage
from portfolio import services
from portfolio.models import LibrarySummary
from programme.models import ContentArea
from tests.portfolio.factories import EnquiryFactory
from ui.errors import RuleError

pytestmark = pytest.mark.django_db

S = LibrarySummary.Status


def content(**overrides) -> services.SummaryContent:
    values = {
        "title": "Wait time and who answers",
        "summary": "Whether waiting three seconds after a question changes which pupils answer.",
        "findings": "More pupils answered.\n\nAnswers were longer.",
        "implications": "Plan the pause; tell the class why you are waiting.",
        "content_area_ids": (ContentArea.objects.get(number=1).pk,),
    }
    values.update(overrides)
    return services.SummaryContent(**values)


def form_data(**overrides) -> dict:
    c = content()
    data = {
        "version": "",
        "title": c.title,
        "summary": c.summary,
        "findings": c.findings,
        "implications": c.implications,
        "content_areas": [str(pk) for pk in c.content_area_ids],
    }
    data.update(overrides)
    return data


def drafted(world) -> LibrarySummary:
    enquiry = EnquiryFactory(enrolment=world.enrolment, findings="<p>More pupils answered.</p>")
    return services.library_summary_create(by=world.participant, enquiry=enquiry, content=content())


def approved(world) -> LibrarySummary:
    summary = drafted(world)
    summary = services.library_summary_send(by=world.participant, summary=summary, version=summary.version)
    return services.library_summary_review(by=world.tutor, summary=summary, version=summary.version, approve=True)


def published(world) -> LibrarySummary:
    summary = approved(world)
    return services.library_summary_publish(
        by=world.participant, summary=summary, version=summary.version, consent=True, no_pupil_data=True
    )


def steps(summary) -> list[str]:
    return list(
        AuditEvent.objects.filter(record_kind="portfolio.librarysummary", record_id=str(summary.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- Each step, through the pages.


def test_participant_drafts_a_summary_from_their_enquiry_prefilled_from_it(client, world):
    enquiry = EnquiryFactory(enrolment=world.enrolment, findings="<p>Hands went up sooner.</p>")
    client.force_login(world.participant)
    url = reverse("portfolio:library_summary_create", args=[enquiry.pk])
    page = client.get(url).content.decode()
    assert "Hands went up sooner." in page
    response = client.post(url, form_data())
    summary = LibrarySummary.objects.get()
    assert response.status_code == 302
    assert response.url == summary.get_absolute_url()
    assert (summary.status, summary.enquiry, summary.enrolment) == (S.DRAFT, enquiry, world.enrolment)
    assert "The summary of this enquiry" in client.get(enquiry.get_absolute_url()).content.decode()


def test_a_summary_missing_its_findings_is_refused_beside_the_field_and_keeps_what_was_typed(client, world):
    enquiry = EnquiryFactory(enrolment=world.enrolment)
    client.force_login(world.participant)
    response = client.post(
        reverse("portfolio:library_summary_create", args=[enquiry.pk]),
        form_data(findings="", content_areas=[], title="My own words"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter what you found." in page
    assert "My own words" in page
    assert not LibrarySummary.objects.exists()


def test_the_whole_journey_through_the_pages(client, world):
    summary = drafted(world)
    url = summary.get_absolute_url()
    client.force_login(world.participant)
    assert (
        client.post(reverse("portfolio:library_summary_send", args=[summary.pk]), {"version": "1"}).status_code == 302
    )
    summary.refresh_from_db()
    assert summary.status == S.SENT

    client.force_login(world.tutor)
    assert summary.title in client.get(reverse("portfolio:library_awaiting")).content.decode()
    response = client.post(
        reverse("portfolio:library_summary_review", args=[summary.pk]),
        {"version": str(summary.version), "decision": "approve", "comment": ""},
    )
    assert response.status_code == 302
    summary.refresh_from_db()
    assert (summary.status, summary.reviewed_by) == (S.APPROVED, world.tutor)

    client.force_login(world.participant)
    assert "Publish the summary" in client.get(url).content.decode()
    response = client.post(
        reverse("portfolio:library_summary_publish", args=[summary.pk]),
        {"version": str(summary.version), "consent": "on", "no_pupil_data": "on"},
    )
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.status == S.PUBLISHED
    assert summary.consent_by == world.participant
    assert summary.consent_at is not None
    assert summary.no_pupil_data_confirmed_at is not None
    public_url = summary.page.url

    client.logout()
    public = client.get(public_url)
    assert public.status_code == 200
    assert "Plan the pause" in public.content.decode()
    assert "<p>More pupils answered.</p><p>Answers were longer.</p>" in public.content.decode()

    client.force_login(world.participant)
    response = client.post(
        reverse("portfolio:library_summary_withdraw", args=[summary.pk]), {"version": str(summary.version)}
    )
    assert response.status_code == 302
    client.logout()
    assert client.get(public_url).status_code == 404
    summary.refresh_from_db()
    assert summary.status == S.WITHDRAWN
    assert summary.withdrawn_at is not None
    assert steps(summary) == [
        AuditAction.LIBRARY_DRAFT,
        AuditAction.LIBRARY_SEND,
        AuditAction.LIBRARY_APPROVE,
        AuditAction.LIBRARY_PUBLISH,
        AuditAction.LIBRARY_WITHDRAW,
    ]


def test_the_page_is_published_through_wagtails_revisions_under_the_library_index(world):
    summary = published(world)
    page = summary.page.specific
    assert isinstance(page, LibraryPage)
    assert page.live
    assert page.get_parent().specific_class is LibraryIndexPage
    assert page.revisions.count() == 1
    assert page.live_revision is not None
    assert page.live_revision.user == world.participant
    assert page.author_name == (world.participant.get_full_name() or str(world.participant))
    assert list(page.content_areas.all()) == [ContentArea.objects.get(number=1)]


def test_a_fresh_site_gets_one_library_index_on_first_use(world):
    assert not LibraryIndexPage.objects.exists()
    first = library_index()
    assert library_index().pk == first.pk
    assert LibraryIndexPage.objects.count() == 1
    assert first.live


def test_tutor_returns_a_summary_with_a_comment_and_the_participant_sees_it(client, world):
    summary = drafted(world)
    summary = services.library_summary_send(by=world.participant, summary=summary, version=summary.version)
    client.force_login(world.tutor)
    refused = client.post(
        reverse("portfolio:library_summary_review", args=[summary.pk]),
        {"version": str(summary.version), "decision": "return", "comment": ""},
    )
    assert "Say what the participant should change" in refused.content.decode()
    client.post(
        reverse("portfolio:library_summary_review", args=[summary.pk]),
        {"version": str(summary.version), "decision": "return", "comment": "Take out the school's name."},
    )
    summary.refresh_from_db()
    assert summary.status == S.RETURNED
    client.force_login(world.participant)
    page = client.get(summary.get_absolute_url()).content.decode()
    assert "Take out the school&#x27;s name." in page
    assert "Send to your tutor to approve" in page
    assert steps(summary)[-1] == AuditAction.LIBRARY_RETURN


def test_changing_an_approved_summary_needs_the_tutor_again(world):
    summary = approved(world)
    summary = services.library_summary_update(
        by=world.participant, summary=summary, version=summary.version, content=content(title="A better title")
    )
    assert summary.status == S.DRAFT
    with pytest.raises(RuleError, match="Send the summary to your tutor first"):
        services.library_summary_publish(
            by=world.participant, summary=summary, version=summary.version, consent=True, no_pupil_data=True
        )


# --- Refusals.


def test_nobody_summarises_someone_elses_enquiry(client, world):
    enquiry = EnquiryFactory(enrolment=world.enrolment)
    for person in (world.other_participant, world.coach, world.tutor):
        client.force_login(person)
        response = client.post(reverse("portfolio:library_summary_create", args=[enquiry.pk]), form_data())
        assert response.status_code in (403, 404), person
    with pytest.raises(Http404):
        services.library_summary_create(by=world.other_participant, enquiry=enquiry, content=content())
    assert not LibrarySummary.objects.exists()


def test_another_participant_cannot_open_or_publish_a_summary(client, world):
    summary = approved(world)
    client.force_login(world.other_participant)
    assert client.get(summary.get_absolute_url()).status_code == 404
    response = client.post(
        reverse("portfolio:library_summary_publish", args=[summary.pk]),
        {"version": str(summary.version), "consent": "on", "no_pupil_data": "on"},
    )
    assert response.status_code == 404
    summary.refresh_from_db()
    assert summary.status == S.APPROVED
    assert summary.page is None


def test_an_unapproved_summary_cannot_be_published(client, world):
    summary = drafted(world)
    client.force_login(world.participant)
    response = client.post(
        reverse("portfolio:library_summary_publish", args=[summary.pk]),
        {"version": str(summary.version), "consent": "on", "no_pupil_data": "on"},
    )
    assert "Send the summary to your tutor first" in response.content.decode()
    summary = services.library_summary_send(by=world.participant, summary=summary, version=summary.version)
    with pytest.raises(RuleError, match="not approved"):
        services.library_summary_publish(
            by=world.participant, summary=summary, version=summary.version, consent=True, no_pupil_data=True
        )
    assert not LibraryPage.objects.exists()


@pytest.mark.parametrize(
    ("consent", "no_pupil_data", "message"),
    [
        (False, True, "agree to the summary being published"),
        (True, False, "holds no pupil"),
    ],
)
def test_publishing_needs_consent_and_the_pupil_data_confirmation(client, world, consent, no_pupil_data, message):
    summary = approved(world)
    client.force_login(world.participant)
    data = {"version": str(summary.version)}
    if consent:
        data["consent"] = "on"
    if no_pupil_data:
        data["no_pupil_data"] = "on"
    response = client.post(reverse("portfolio:library_summary_publish", args=[summary.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    summary.refresh_from_db()
    assert summary.status == S.APPROVED
    assert summary.consent_at is None
    assert not LibraryPage.objects.exists()


def test_only_the_participants_tutor_approves(world):
    summary = drafted(world)
    summary = services.library_summary_send(by=world.participant, summary=summary, version=summary.version)
    with pytest.raises(PermissionDenied):
        services.library_summary_review(by=world.coach, summary=summary, version=summary.version, approve=True)
    with pytest.raises(PermissionDenied):
        services.library_summary_review(by=world.participant, summary=summary, version=summary.version, approve=True)
    with pytest.raises(Http404):
        services.library_summary_review(by=world.other_tutor, summary=summary, version=summary.version, approve=True)
    summary.refresh_from_db()
    assert summary.status == S.SENT


def test_a_tutor_cannot_approve_a_summary_not_sent_to_them(world):
    summary = drafted(world)
    with pytest.raises(PermissionDenied):
        services.library_summary_review(by=world.tutor, summary=summary, version=summary.version, approve=True)


def test_only_the_participant_withdraws(world):
    summary = published(world)
    for person in (world.coach, world.tutor, world.head, world.leader):
        with pytest.raises(PermissionDenied):
            services.library_summary_withdraw(by=person, summary=summary, version=summary.version)
    summary.page.refresh_from_db()
    assert summary.page.live


def test_a_withdrawn_page_is_a_404_to_the_public_and_gone_from_search(client, world):
    summary = published(world)
    index_url = summary.page.get_parent().url
    assert summary.title in client.get(index_url, {"q": "pause"}).content.decode()
    services.library_summary_withdraw(by=world.participant, summary=summary, version=summary.version)
    assert client.get(summary.page.url or f"{index_url}{summary.page.slug}/").status_code == 404
    assert summary.title not in client.get(index_url, {"q": "pause"}).content.decode()


def test_a_stale_page_cannot_publish(world):
    summary = approved(world)
    with pytest.raises(RuleError, match="saved this since you opened it"):
        services.library_summary_publish(
            by=world.participant, summary=summary, version=summary.version - 1, consent=True, no_pupil_data=True
        )


# --- The public library: search, filter by content area, a page at a time.


def test_the_library_index_searches_and_filters_by_content_area(client, world):
    summary = published(world)
    index_url = summary.page.get_parent().url
    page = client.get(index_url).content.decode()
    assert summary.title in page
    assert 'type="search"' in page
    assert summary.title in client.get(index_url, {"q": "answers"}).content.decode()
    assert summary.title not in client.get(index_url, {"q": "fractions"}).content.decode()
    area1, area2 = ContentArea.objects.get(number=1), ContentArea.objects.get(number=2)
    assert summary.title in client.get(index_url, {"area": str(area1.pk)}).content.decode()
    assert summary.title not in client.get(index_url, {"area": str(area2.pk)}).content.decode()
    assert summary.title in client.get(index_url, {"area": str(area1.pk), "q": "pause"}).content.decode()
    assert client.get(index_url, {"area": "nonsense", "page": "x"}).status_code == 200


def test_the_library_index_is_paged_and_costs_the_same_however_many(client, world, django_assert_max_num_queries):
    from handbook import library

    def publish(n):
        for i in range(n):
            library.publish(
                page=None,
                content=library.PageContent(
                    title=f"Summary {i}",
                    author_name="A teacher",
                    summary="s",
                    findings="f",
                    implications="i",
                    content_area_ids=(ContentArea.objects.get(number=1).pk,),
                ),
                by=world.participant,
            )

    publish(2)
    index_url = library_index().url
    client.get(index_url)
    with django_assert_max_num_queries(30) as few:
        client.get(index_url)
    publish(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(index_url).content.decode()
    assert "Showing 1 to 10 of 14" in page
    assert "Summary 0" in client.get(index_url, {"page": "2"}).content.decode()
