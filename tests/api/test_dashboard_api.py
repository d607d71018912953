"""The dashboard's figures over the API: the page's figures, filters and day, a reporter's own unit's."""

import pytest
from django.urls import reverse

from tests.reports.dashboard_data import days, hand_built_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(chengtou_company, gongre_company, sasac_office):
    return hand_built_plan(chengtou_company, gongre_company, sasac_office)


def test_the_figures_are_the_pages(api, client, staff, plan):
    client.force_login(staff)
    page = client.get(reverse("reports:dashboard"), {"plan": plan.pk}).context["board"]

    body = api(staff).get(reverse("api:dashboard"), {"plan": plan.pk}).json()

    assert body["figures"]["counts"] == page.figures.counts and body["figures"]["tasks"] == page.figures.tasks
    assert [g["label"] for g in body["by_section"]] == [g.label for g in page.by_section]
    assert [w["days"] for w in body["most_overdue"]] == [10, 1]
    listed = client.get(body["work_list"]["overdue"]).context["counted"]["work"]
    assert listed == body["figures"]["counts"]["overdue"] == 2


def test_a_reporter_gets_its_own_units_figures(api, chengtou_reporter, gongre_company, plan):
    body = api(chengtou_reporter).get(reverse("api:dashboard"), {"unit": gongre_company.pk}).json()

    assert body["figures"]["counts"]["all"] == 3
    assert [g["label"] for g in body["enterprises"]] == ["鞍山市立山区城市建设投资有限公司"]


def test_a_wrong_filter_is_refused_with_the_field_named(api, staff, plan):
    future = api(staff).get(reverse("api:dashboard"), {"as_of": days(5)})
    wrong = api(staff).get(reverse("api:dashboard"), {"year": "abc"})

    assert future.status_code == 400 and "as_of" in future.json()
    assert wrong.status_code == 400 and "year" in wrong.json()
