"""contest.pictures' addresses written without the resolver equal what
`reverse` gives, under a script prefix too (a portal behind a sub-path)."""

import uuid

from django.urls import clear_script_prefix, reverse, set_script_prefix

from contest import pictures


def test_rendition_and_entry_addresses_equal_reverse_with_and_without_a_script_prefix():
    public_id = uuid.UUID("3c8a29cc-84a6-4a85-8652-a73e705bd495")
    try:
        for prefix in ("/", "/portal/"):
            set_script_prefix(prefix)
            assert pictures.rendition_url(public_id, "card2x", "webp") == reverse(
                "contest:rendition", args=[public_id, "card2x", "webp"])
            assert pictures.entry_url(public_id) == reverse("contest:entry_detail", args=[public_id])
        assert pictures.entry_url(public_id) == f"/portal/entries/{public_id}/"
    finally:
        clear_script_prefix()
        set_script_prefix("/")


def test_the_lightbox_template_leaves_the_id_to_fill_in():
    assert pictures.display_url_template("webp") == "/images/{id}/display.webp"
