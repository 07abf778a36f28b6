"""Security headers, sign-in throttling and optional two-factor sign-in."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = [pytest.mark.django_db]


def test_pages_send_csp_without_inline_scripts_and_permissions_policy(client):
    response = client.get(reverse("contest:home"))

    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert script_src.strip() == "script-src 'self'"
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.content.decode()


def test_login_locked_after_five_wrong_passwords_for_that_user(settings):
    get_user_model().objects.create_user("judgelock", password="right-password-1")
    client = Client()
    url = reverse("login")

    wrong = [client.post(url, {"username": "judgelock", "password": "nope"}).status_code for _ in range(5)]
    locked = client.post(url, {"username": "judgelock", "password": "right-password-1"})
    other_user = client.post(url, {"username": "someoneelse", "password": "nope"})

    assert wrong == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    assert other_user.status_code == 200


def test_totp_device_makes_the_code_required_at_sign_in():
    user = get_user_model().objects.create_user("organizer2fa", password="right-password-1", is_staff=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    url = reverse("login")

    without = Client().post(url, {"username": "organizer2fa", "password": "right-password-1"})
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    with_code = Client().post(url, {"username": "organizer2fa", "password": "right-password-1", "otp_token": f"{totp.token():06d}"})
    no_device = get_user_model().objects.create_user("judgeplain", password="right-password-1")
    plain = Client().post(url, {"username": no_device.username, "password": "right-password-1"})

    assert without.status_code == 200
    assert with_code.status_code == 302
    assert plain.status_code == 302


def test_admin_answers_at_the_configured_path(client, settings):
    response = client.get("/" + settings.ADMIN_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/" + settings.ADMIN_URL + "login/")
