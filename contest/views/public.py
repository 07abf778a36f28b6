"""The public pages: the home page, a contest's page and its rules and
questions, the winners' gallery and a published winner's own page."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import pictures, selectors, services
from ..forms import GalleryFilterForm
from ..models import Contest, Country, Rendition
from ..rules import is_published_winner
from .page_cache import cached_page, next_change
from .shortcuts import content_for, contest_or_404, get_or_404, language

# The first row of a laptop's gallery (4 or 5 cards): loaded at once, the rest lazily.
GALLERY_EAGER_CARDS = 5


@require_GET
def home(request):
    """The open contest beside a drawing of the last published winners,
    its deadline in its own time zone, how taking part works and the
    winners' strip; without an open contest, the last results and the
    next opening date. Cached per language (`page_cache`) until the next
    opening or closing at most."""
    found = {}

    def render_page():
        found["page"] = selectors.home_page(language=language())
        return render(request, "contest/home.html", {"page": found["page"]})

    def expires_at():
        page = found["page"]
        moments = [c.closes_at for c, _content in page.open_contests]
        return next_change(*moments, page.upcoming[0].opens_at if page.upcoming else None)

    return cached_page(request, render_page, cacheable=not request.GET, expires_at=expires_at)


@require_GET
def contest_detail(request, slug):
    """A contest's page: its texts in the visitor's language, and whether
    it is open. Cached per language (`page_cache`) until it opens or
    closes at most."""
    found = {}

    def render_page():
        contest = found["contest"] = contest_or_404(
            slug, queryset=selectors.contests_with_rounds_flag(
                Contest.objects.prefetch_related("age_categories", "translations"))
        )
        return render(request, "contest/contest_detail.html", {
            "contest": contest, "content": content_for(contest), "is_open": contest.is_open(),
            "national_rounds": selectors.national_rounds_listed(contest=contest),
        })

    def expires_at():
        return next_change(found["contest"].opens_at, found["contest"].closes_at)

    return cached_page(request, render_page, cacheable=not request.GET, expires_at=expires_at)


@require_GET
def contest_rules(request, slug):
    """A contest's rules and answers to the usual questions in the
    visitor's language: who may take part, how many drawings, the file,
    the deadline, what is published, how to withdraw, whom to ask. The
    limits are the contest's own (`services.upload_policy`); the contact
    is the site's (`CONTACT_EMAIL`, in every page's context)."""
    contest = contest_or_404(slug, queryset=Contest.objects.prefetch_related("age_categories", "translations"))
    policy = services.upload_policy(contest=contest)
    context = {
        "contest": contest,
        "content": content_for(contest),
        "is_open": contest.is_open(),
        "countries": [str(label) for code, label in Country.choices if code in contest.countries],
        "max_megabytes": policy.max_bytes // 1_000_000,
        "max_megapixels": policy.max_pixels // 1_000_000,
        "low_res_side": policy.low_res_side,
        "confirm_days": settings.GUARDIAN_CONFIRM_DAYS,
    }
    return render(request, "contest/contest_rules.html", context)


@require_GET
def gallery(request, slug):
    """The published winners, by age category, filtered by country and
    category, and the people's choice once its vote has closed. Cached per
    language and filter (`page_cache`), until the vote closes at most; an address
    whose query is not exactly the validated filters is rendered, never
    stored."""
    found = {}

    def render_page():
        contest = found["contest"] = contest_or_404(
            slug, queryset=selectors.contests_with_rounds_flag(
                Contest.objects.prefetch_related("age_categories", "translations")),
            results_published_at__isnull=False,
        )
        categories = list(contest.age_categories.all())
        form = GalleryFilterForm(request.GET, contest=contest, categories=categories)
        filters = found["filters"] = form.filters()
        return _gallery_page(request, contest, form, filters, categories)

    def store_if():
        canonical = {"country": found["filters"]["country"], "category": str(found["filters"]["category_id"] or "")}
        return dict(request.GET.lists()) == {name: [value] for name, value in canonical.items() if value}

    def expires_at():
        # The people's choice result appears the moment its window closes.
        return next_change(found["contest"].vote_closes_at)

    return cached_page(request, render_page, store_if=store_if, expires_at=expires_at)


def _gallery_page(request, contest, form, filters, categories):
    sections = selectors.winners_for_gallery(contest=contest, **filters)
    context = {
        "contest": contest,
        "categories": categories,
        "sections": sections,
        "eager_ids": [entry.pk for _category, entries in sections for entry in entries][:GALLERY_EAGER_CARDS],
        "country_name": dict(form.fields["country"].choices).get(filters["country"], ""),
        "countries": form.fields["country"].choices[1:],
        # None drops the parameter from the filter links ({% querystring %}).
        "current_country": filters["country"] or None,
        "current_category": filters["category_id"],
        "display_jpeg": pictures.display_url_template("jpeg"),
        "display_webp": pictures.display_url_template("webp"),
        # A regional final: each national round's published winners, by country.
        "national_winners": selectors.national_winners_for_gallery(contest=contest),
        # The public's vote, apart from the jury's awards, once its window has closed.
        "peoples_choice": selectors.peoples_choice_results(contest=contest),
    }
    return render(request, "contest/gallery.html", context)


def _share_card(request, entry) -> dict:
    """What link previews show (Open Graph, Twitter cards): the title, a
    general line, and the card2x JPEG, the largest card that every preview
    service accepts. Never a name, and never the child's own description
    (it may name the child, their school or town: link previews are copied
    to other sites beyond the guardian's reach); the image's alt text is
    the title only, for the same reason."""
    by_kind = {r.kind: r for r in entry.renditions.all() if r.format == Rendition.Format.JPEG}
    image = by_kind.get(Rendition.Kind.CARD_2X) or by_kind.get(Rendition.Kind.CARD) or by_kind.get(Rendition.Kind.DISPLAY)
    title = selectors.contest_content(contest=entry.contest, language=language()).title
    description = _("A winning drawing of the children's art contest “%(contest)s”.") % {"contest": title}
    card = {
        "title": entry.title,
        "description": description,
        "url": request.build_absolute_uri(reverse("contest:entry_detail", args=[entry.public_id])),
        "image": None,
    }
    if image is not None:
        card.update(
            image=request.build_absolute_uri(reverse("contest:rendition", args=[entry.public_id, image.kind, image.format])),
            image_width=image.width,
            image_height=image.height,
            image_alt=entry.title,
        )
    return card


@require_GET
def entry_detail(request, public_id):
    """A published winner's own page, with its link-preview card. Cached
    per language (`page_cache`)."""

    def render_page():
        entry = get_or_404(selectors.entry_public_get(public_id=public_id))
        # The predicate itself, not has_perm: a superuser has every permission,
        # and this public page must not exist before publication, even for them.
        if not is_published_winner(request.user, entry):
            raise Http404
        return render(request, "contest/entry_detail.html", {"entry": entry, "share": _share_card(request, entry)})

    return cached_page(request, render_page, cacheable=not request.GET)
