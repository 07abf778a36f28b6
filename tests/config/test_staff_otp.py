"""Two-factor sign-in: with STAFF_OTP_REQUIRED on (production), organizers
(`config.auth.requires_otp`) must sign in with a code, setting up an
authenticator first; with it off nothing is asked; judges may opt in."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.auth import requires_otp
from contest.models import ContestRole
from tests.factories.contest import ContestFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-horse-battery-9"


def code(device) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def fresh(device):
    """Let the same time step's code be used once more (django-otp refuses a
    replay) and forget earlier wrong codes (django-otp then waits a while)."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None)


@pytest.fixture
def organizer():
    user = get_user_model().objects.create_user("org-otp", password=PASSWORD)
    ContestRole.objects.create(contest=ContestFactory(), user=user, role=ContestRole.Role.ORGANIZER)
    return user


@pytest.fixture
def judge():
    return get_user_model().objects.create_user("judge-otp", password=PASSWORD)


def sign_in(client, user, otp_token=""):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD, "otp_token": otp_token})


def test_who_must_use_a_second_factor(organizer, judge):
    root = get_user_model().objects.create_superuser("root-otp", "r@example.org", PASSWORD)

    assert [requires_otp(u) for u in (organizer, root, judge, AnonymousUser())] == [True, True, False, False]


def test_a_required_organizer_sets_up_an_authenticator_before_anything_else(client, settings, organizer):
    settings.STAFF_OTP_REQUIRED = True
    sign_in(client, organizer)

    home = client.get(reverse("organize:home"))
    admin = client.get(reverse("admin:index"))
    page = client.get(home["Location"])
    device = TOTPDevice.objects.get(user=organizer, confirmed=False)
    wrong = client.post(reverse("two_factor"), {"otp_token": "000000", "next": "/organize/"})
    fresh(device)
    right = client.post(reverse("two_factor"), {"otp_token": code(device), "next": "/organize/"})

    assert home.status_code == admin.status_code == 302
    assert home["Location"] == reverse("two_factor") + "?next=/organize/"
    assert admin["Location"].startswith(reverse("two_factor"))
    assert page.status_code == 200
    assert "Organizers must set up two-factor sign-in before they can go on." in page.content.decode()
    assert device.config_url.startswith("otpauth://totp/")
    assert page.context["secret"] in page.content.decode()
    assert wrong.status_code == 400
    assert "This code is not right." in wrong.content.decode()
    assert right.status_code == 302 and right["Location"] == "/organize/"
    assert TOTPDevice.objects.filter(user=organizer, confirmed=True).count() == 1
    assert client.get(reverse("organize:home")).status_code == 200
    # Past the second factor the admin still answers only superusers.
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))


def test_a_required_organizer_with_a_device_signs_in_with_the_code_only(settings, organizer):
    settings.STAFF_OTP_REQUIRED = True
    device = TOTPDevice.objects.create(user=organizer, name="phone", confirmed=True)
    without_code, with_code, unverified = Client(), Client(), Client()

    refused = sign_in(without_code, organizer)
    sign_in(with_code, organizer, code(device))
    unverified.force_login(organizer)  # a session that never gave a code
    thrown_out = unverified.get(reverse("organize:home"))

    assert refused.status_code == 200  # the sign-in form again, with its error
    assert with_code.get(reverse("organize:home")).status_code == 200
    assert thrown_out.status_code == 302 and thrown_out["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in unverified.session
    off = with_code.get(reverse("two_factor"))
    assert "Organizers must use two-factor sign-in: it cannot be turned off." in off.content.decode()
    fresh(device)
    with_code.post(reverse("two_factor"), {"otp_token": code(device)})
    assert TOTPDevice.objects.filter(user=organizer, confirmed=True).exists()


def test_with_the_setting_off_organizers_are_not_asked(client, settings, organizer):
    settings.STAFF_OTP_REQUIRED = False
    sign_in(client, organizer)

    assert client.get(reverse("organize:home")).status_code == 200
    assert not TOTPDevice.objects.filter(user=organizer).exists()


def test_a_judge_is_not_forced_and_may_opt_in_and_out(client, settings, judge):
    settings.STAFF_OTP_REQUIRED = True
    sign_in(client, judge)
    assert client.get(reverse("judging:home")).status_code == 200

    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=judge)
    client.post(reverse("two_factor"), {"otp_token": code(device)})
    fresh(device)
    second = Client()
    refused = sign_in(second, judge)
    accepted = sign_in(second, judge, code(device))
    fresh(device)
    turned_off = client.post(reverse("two_factor"), {"otp_token": code(device)})

    assert refused.status_code == 200  # the sign-in form again: the code is now asked
    assert accepted.status_code == 302
    assert turned_off.status_code == 302
    assert not TOTPDevice.objects.filter(user=judge).exists()


def test_the_setup_page_reads_a_constant_number_of_queries(client, judge, django_assert_num_queries):
    client.force_login(judge)
    client.get(reverse("two_factor"))  # makes the pending device

    # Session and user (2), the devices (3), whether the user must use a
    # second factor: their contest roles and model permissions (3).
    with django_assert_num_queries(8):
        page = client.get(reverse("two_factor"))

    assert page.status_code == 200
