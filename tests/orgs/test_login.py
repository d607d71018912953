"""Signing in, the home page per role, and the admin opened by the access policy."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "correct horse 2021"


def test_login_page_is_in_chinese(client, db):
    page = client.get(reverse("login"))

    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html
    assert "用户名" in html


def test_a_browser_asking_for_english_still_gets_chinese(client, db):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert '<html lang="zh-hans">' in html
    assert "登录" in html


def test_english_is_available(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert "Log in" in client.get(reverse("login")).content.decode()


def test_a_reporter_signs_in_and_lands_on_their_units_dashboard(client, chengtou_reporter):
    answer = client.post(reverse("login"), {"username": "lina", "password": PASSWORD}, follow=True)

    assert answer.redirect_chain[-1][0] == reverse("reports:dashboard")
    html = answer.content.decode()
    assert "鞍山市立山区城市建设投资有限公司工作概览" in html
    assert f'href="{reverse("tasks:my_tasks")}"' in html and "李娜" in html


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [
        ("staff", "tasks:review_queue"),
        ("chengtou_reporter", "reports:dashboard"),
        ("leader", "reports:dashboard"),
        ("auditor", "reports:index"),
    ],
)
def test_home_sends_each_role_to_its_place(client, request, who, lands_on):
    client.force_login(request.getfixturevalue(who))

    answer = client.get(reverse("home"))

    assert answer.status_code == 302
    assert answer.url == reverse(lands_on)
    assert client.get(answer.url).status_code == 200


def test_home_asks_a_stranger_to_sign_in(client, db):
    answer = client.get(reverse("home"))

    assert answer.status_code == 302
    assert answer.url.startswith(reverse("login"))


def test_a_user_with_no_unit_is_refused_with_a_message(client, db):
    UserFactory(username="drifter", unit=None)

    answer = client.post(reverse("login"), {"username": "drifter", "password": PASSWORD})

    assert answer.status_code == 200
    assert "尚未分配所属单位" in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_refused(client, chengtou_reporter):
    answer = client.post(reverse("login"), {"username": "lina", "password": "wrong"})

    assert "请输入一个正确的用户名和密码" in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_takes_a_post_and_ends_the_session(client, chengtou_reporter):
    client.force_login(chengtou_reporter)

    answer = client.post(reverse("logout"))

    assert answer.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("who", ["chengtou_reporter", "leader", "auditor"])
def test_only_staff_open_the_admin(client, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("admin:index")).status_code == 403  # refused plainly, not asked to sign in again


def test_staff_open_the_admin_in_chinese(client, staff):
    client.force_login(staff)

    html = client.get(reverse("admin:index")).content.decode()

    assert "改革任务督办平台" in html
    assert "任务分工" in html


def test_admin_login_refuses_a_reporter_with_a_message(client, chengtou_reporter):
    answer = client.post(reverse("admin:login"), {"username": "lina", "password": PASSWORD})

    assert "只有国资局工作人员" in answer.content.decode()
