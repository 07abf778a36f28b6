"""Rendering the sections other apps add to the organizers' dashboard
(`contest.dashboard`)."""

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag
def dashboard_section(section) -> str:
    """`section` (a `contest.dashboard.DashboardSection`) rendered with its
    own context only, as an inclusion tag would."""
    return render_to_string(section.template, section.context)
