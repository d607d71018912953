"""When a request cannot be served, the platform answers with its own page — in its language, with the
menu and a way back, the request id on a 500 — never Django's bare English ("Not Found", "403
Forbidden", "Bad Request (400)"); the API answers JSON."""

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

BARE = ("Not Found", "Forbidden", "Bad Request", "Server Error", "CSRF verification failed")


def page_of(answer) -> str:
    html = answer.content.decode()
    assert not any(words in html for words in BARE), html[:500]
    return html


@pytest.fixture(autouse=True)
def _as_in_production(settings):
    settings.DEBUG = False


def test_an_address_that_names_nothing_answers_the_platforms_404(client, chengtou_reporter):
    client.force_login(chengtou_reporter)

    answer = client.get("/no/such/page/", HTTP_REFERER="http://testserver/tasks/")

    html = page_of(answer)
    assert answer.status_code == 404 and "页面不存在" in html
    assert 'class="nav"' in html and "总览" in html  # the menu
    assert reverse("home") in html and 'href="http://testserver/tasks/"' in html  # ways back


def test_a_page_of_another_role_answers_the_platforms_403_with_the_reason(client, leader, chengtou_reporter):
    for user in (leader, chengtou_reporter):
        client.force_login(user)
        answer = client.get(reverse("tasks:review_queue"))
        html = page_of(answer)
        assert answer.status_code == 403 and "无权查看或办理" in html and 'class="nav"' in html


def test_a_refusal_in_words_shows_them(client, chengtou_reporter, chengtou_company):
    from tests.factories import AssignmentFactory

    work = AssignmentFactory(unit=chengtou_company)
    client.force_login(chengtou_reporter)

    answer = client.post(reverse("tasks:instruction_give", args=[work.task_id]), {"text": "抓紧"})

    assert answer.status_code == 403 and "批示由领导作出" in page_of(answer)


def test_a_bad_request_answers_the_platforms_400():
    answer = Client(raise_request_exception=False).get("/accounts/login/", HTTP_HOST="not-this-site.example")
    assert answer.status_code == 400 and "无法识别此请求" in page_of(answer)


def test_a_form_without_its_token_answers_a_page_that_says_what_to_do(chengtou_reporter):
    browser = Client(enforce_csrf_checks=True)
    answer = browser.post(reverse("login"), {"username": "lina", "password": "x"})
    html = page_of(answer)
    assert answer.status_code == 403 and "表单已过期" in html and "重新" in html


def test_an_error_answers_the_platforms_500_with_its_number_and_the_menu(settings, chengtou_reporter):
    settings.ROOT_URLCONF = "tests.reform.failing_urls"
    browser = Client(raise_request_exception=False)
    browser.force_login(chengtou_reporter)

    answer = browser.get("/broken/")

    html = page_of(answer)
    assert answer.status_code == 500 and "出错了" in html and answer["X-Request-ID"] in html
    assert 'class="nav"' in html and "a fault for the test" not in html


def test_with_the_database_away_the_500_page_needs_nothing(settings, chengtou_reporter, monkeypatch):
    from tasks.reminders import context_processors

    settings.ROOT_URLCONF = "tests.reform.failing_urls"
    browser = Client(raise_request_exception=False)
    browser.force_login(chengtou_reporter)

    def away(user):
        raise DatabaseError("the database is away")

    monkeypatch.setattr(context_processors, "unread_count", away)
    answer = browser.get("/broken/")

    assert answer.status_code == 500 and "出错了" in page_of(answer) and answer["X-Request-ID"] in page_of(answer)


def test_in_english_the_pages_are_english_and_still_the_platforms(client, chengtou_reporter, settings):
    client.force_login(chengtou_reporter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = page_of(client.get("/no/such/page/"))

    assert "No such page" in html and "Back to the start page" in html


def test_the_api_answers_json(client, chengtou_reporter):
    client.force_login(chengtou_reporter)
    for path, status in (("/api/v1/no-such-list/", 404), ("/api/v1/report-jobs/x/", 404)):
        answer = client.get(path)
        assert answer.status_code == status and answer["Content-Type"].startswith("application/json")
        assert "detail" in answer.json()
