"""The masked e-mail address on the receipt and the guardian's page
(`contest.masking.email_mask`)."""

import pytest

from contest.masking import email_mask

pytestmark = [pytest.mark.unit]


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("aigerim.s@gmail.com", "a***@g***.com"),
        ("Saule@Mail.RU", "S***@m***.ru"),
        ("x@mail.yandex.ru", "x***@m***.ru"),
        ("a@b.kz", "a***@b***.kz"),
        ("admin@localhost", "a***@l***"),
        ("  padded@example.org  ", "p***@e***.org"),
    ],
)
def test_email_mask_keeps_first_letters_and_top_level_domain(email, masked):
    assert email_mask(email) == masked


def test_email_mask_hides_the_length_of_what_it_hides():
    short, long = email_mask("ab@cd.uz"), email_mask("abcdefghijkl@cdefghijkl.uz")

    assert (short, long) == ("a***@c***.uz", "a***@c***.uz")


@pytest.mark.parametrize(("email", "masked"), [("", ""), (None, ""), ("no-at-sign", "***"), ("@example.org", "***"), ("name@", "***")])
def test_email_mask_of_what_is_not_an_address(email, masked):
    assert email_mask(email) == masked


def test_email_mask_never_shows_the_whole_name_or_domain():
    email = "guldana.guardianova@university.edu.kg"

    masked = email_mask(email)

    assert masked == "g***@u***.kg"
    assert "guldana" not in masked and "university" not in masked
