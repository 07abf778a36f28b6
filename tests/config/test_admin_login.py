"""The admin's own sign-in page honours a user's authenticator (django-otp)
exactly like the site's: it is no way around the second factor."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = [pytest.mark.django_db]

PASSWORD = "right-password-1"


def _token(device) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def _admin_login(data) -> tuple[int, bool]:
    """POST to the admin's sign-in; (status, whether the admin index then opens)."""
    client = Client()
    response = client.post(reverse("admin:login"), {**data, "next": reverse("admin:index")})
    return response.status_code, client.get(reverse("admin:index")).status_code == 200


def test_admin_sign_in_refuses_the_password_alone_for_a_user_with_an_authenticator():
    user = get_user_model().objects.create_user("organizer2fa", password=PASSWORD, is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    password_only = _admin_login({"username": "organizer2fa", "password": PASSWORD})
    with_code = _admin_login({"username": "organizer2fa", "password": PASSWORD, "otp_token": _token(device)})
    # After the good code (django-otp throttles a device after a wrong one).
    wrong = "000000" if _token(device) != "000000" else "111111"
    wrong_code = _admin_login({"username": "organizer2fa", "password": PASSWORD, "otp_token": wrong})

    assert password_only == (200, False)
    assert wrong_code == (200, False)
    assert with_code == (302, True)


def test_admin_sign_in_without_an_authenticator_needs_only_the_password():
    get_user_model().objects.create_user("organizer", password=PASSWORD, is_staff=True, is_superuser=True)

    assert _admin_login({"username": "organizer", "password": PASSWORD}) == (302, True)


def test_admin_sign_in_page_shows_the_code_field_and_still_refuses_non_staff(client):
    get_user_model().objects.create_user("judge", password=PASSWORD)

    page = client.get(reverse("admin:login"))
    judge = _admin_login({"username": "judge", "password": PASSWORD})

    assert page.status_code == 200
    assert 'name="otp_token"' in page.content.decode()
    assert judge == (200, False)
