"""The web font is the portal's own: every letter of the five national
languages is drawn with it, and no page asks another site for anything."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LETTERS = "Қ Ғ Ң Ө Ү Һ Ҷ Ӣ Ў Ҳ қ ғ ң ө ү һ ҷ ӣ ў ҳ Ň Ž Ş Ý Ä Ö Ü Ç ň ž ş ý oʻ gʻ"


def test_self_hosted_font_covers_national_letters(open_page, live_server, site):
    page, problems = open_page("desktop")
    page.goto(live_server.url + reverse("contest:home"))

    page.evaluate("(text) => { const p = document.createElement('p'); p.id = 'letters'; p.textContent = text; document.querySelector('main').append(p); }", LETTERS)
    page.evaluate("() => document.fonts.ready")
    loaded = page.evaluate("() => Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family)")
    covered = page.evaluate("(text) => document.fonts.check(\"16px 'Noto Sans'\", text)", LETTERS)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    node = cdp.send("DOM.querySelector", {"nodeId": cdp.send("DOM.getDocument")["root"]["nodeId"], "selector": "#letters"})
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]

    assert covered is True
    assert "\"Noto Sans\"" in loaded or "Noto Sans" in loaded
    assert [f["familyName"] for f in fonts] == ["Noto Sans"]
    assert (problems.external, problems.requests, problems.console) == ([], [], [])
