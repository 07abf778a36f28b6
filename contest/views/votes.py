"""The people's choice: the public voting page (the ballot while the
window is open, the result once it has closed), the confirmation link of
a vote, and the organizers' report of suspicious bursts with the voiding
of votes. Never a vote count before the window closes."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from config.client_ip import client_ip

from .. import pictures, selectors, services
from ..masking import email_mask
from ..models import Contest
from ..ratelimits import limit_votes
from ..vote_forms import VoteForm, VotesVoidForm
from .shortcuts import content_for, contest_or_404, language, permitted_contest_or_404, private, rate_limited


def _ballot_card(entry) -> dict:
    # The title is the radio button's label: the picture needs no alt text.
    picture = pictures.card_picture(entry)
    return {"entry": entry, "picture": {**picture, "alt": ""} if picture else None}


@limit_votes
@require_http_methods(["GET", "POST"])
def vote(request, slug):
    """The voting page of a contest with a people's choice: before the
    window, when it opens; during it, one form per age category (the
    shortlisted drawings' cards and titles, an e-mail address); after it,
    the result. A sent vote leads to a page asking to open the e-mailed link."""
    contest = contest_or_404(
        slug, queryset=Contest.objects.prefetch_related("age_categories", "translations"), peoples_choice=True
    )
    context = {"contest": contest, "content": content_for(contest), "state": selectors.voting_now(contest=contest)}
    if context["state"] == "closed":
        context["results"] = selectors.peoples_choice_results(contest=contest)
        return render(request, "contest/vote.html", context)
    if context["state"] != "open":
        return render(request, "contest/vote.html", context)
    ballot = selectors.ballot_for_public(contest=contest)
    posted = request.POST.get("category") if request.method == "POST" else None
    sections = []
    for category, entries in ballot:
        bound = posted == str(category.pk)
        form = VoteForm(request.POST if bound else None, entries=entries, prefix=f"c{category.pk}")
        sections.append({"category": category, "form": form, "cards": [_ballot_card(e) for e in entries]})
        if bound:
            if getattr(request, "limited", False):
                return rate_limited(request, contest=contest)
            if form.is_valid():
                try:
                    cast = services.vote_cast(
                        contest=contest, entry=form.cleaned_data["entry"], email=form.cleaned_data["email"],
                        language=language(), ip=client_ip(request),
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    return private(render(request, "contest/vote_sent.html", {
                        "contest": contest, "content": context["content"], "category": category,
                        "masked_email": email_mask(cast.email), "hours": settings.VOTE_CONFIRM_HOURS,
                    }))
    context["sections"] = sections
    return private(render(request, "contest/vote.html", context, status=400 if posted and request.method == "POST" else 200))


@require_http_methods(["GET", "POST"])
def vote_confirm(request, token):
    """The link from a voter's e-mail. A GET only shows a button (mail
    scanners open links); the POST counts the vote."""
    found = services.vote_from_token(token=token)
    if found is None:
        return private(render(request, "contest/vote_confirm.html", {"vote": None}, status=404))
    error = ""
    if request.method == "POST":
        try:
            services.vote_confirm(vote=found)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            messages.success(request, _("Thank you: your vote counts."))
            return private(redirect("contest:vote_confirm", token=token))
    return private(render(request, "contest/vote_confirm.html", {"vote": found, "error": error}))


@require_http_methods(["GET", "POST"])
def votes_report(request, slug):
    """The organizers' people's choice page: how many votes (unconfirmed,
    counted, voided), the suspicious bursts (`selectors.vote_bursts`, by
    the settings' `VOTE_BURST_*`) each with a button that voids its votes
    (audited). 404 for anyone but the contest's organizers."""
    contest = permitted_contest_or_404(request, slug, perm="contest.manage_votes")
    if request.method == "POST":
        form = VotesVoidForm(request.POST)
        if form.is_valid():
            n = services.votes_void(
                contest=contest, vote_ids=form.cleaned_data["votes"], actor=request.user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, ngettext("%(n)d vote voided.", "%(n)d votes voided.", n) % {"n": n})
        return redirect("contest:votes_report", slug=slug)
    bursts = selectors.vote_bursts(
        contest=contest, window_minutes=settings.VOTE_BURST_MINUTES,
        network_votes=settings.VOTE_BURST_NETWORK_VOTES, entry_votes=settings.VOTE_BURST_ENTRY_VOTES,
    )
    context = {
        "contest": contest, "summary": selectors.votes_summary(contest=contest), "minutes": settings.VOTE_BURST_MINUTES,
        "bursts": [{"burst": b, "ids": ",".join(map(str, b.vote_ids))} for b in bursts],
        "state": selectors.voting_now(contest=contest),
    }
    return render(request, "contest/votes_report.html", context)
