"""Django's own strings that the portal's pages and forms show.

Django's catalogues for Kazakh, Tajik, Turkmen and Uzbek are incomplete and
there is none for Uzbek Cyrillic, so these msgids are listed here for
`makemessages` and translated in our catalogues (which take precedence).
Nothing imports this module at run time.
"""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

PHRASES = [
    # Form validation (django.forms)
    _("This field is required."),
    _("Enter a valid date."),
    _("Enter a valid email address."),
    _("Select a valid choice. %(value)s is not one of the available choices."),
    _("No file was submitted. Check the encoding type on the form."),
    _("No file was submitted."),
    _("The submitted file is empty."),
    _("Ensure this value has at most %(limit_value)d characters (it has %(show_value)d)."),
    _("Ensure this value is less than or equal to %(limit_value)s."),
    _("Ensure this value is greater than or equal to %(limit_value)s."),
    _("Enter a number."),
    # Half-point score sheets: DecimalField(step_size=0.5, min_value=0, decimal_places=1)
    _("Ensure this value is a multiple of step size %(limit_value)s."),
    _(
        "Ensure this value is a multiple of step size %(limit_value)s, starting from %(offset)s, e.g. "
        "%(offset)s, %(valid_value1)s, %(valid_value2)s, and so on."
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "max",
    ),
    _("Currently"),
    _("Change"),
    _("Clear"),
    # Sign-in (django.contrib.auth)
    _("Username"),
    _("Password"),
    _(
        "Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."
    ),
    _("This account is inactive."),
    # Dates
    _("January"), _("February"), _("March"), _("April"), _("May"), _("June"),
    _("July"), _("August"), _("September"), _("October"), _("November"), _("December"),
    pgettext_lazy("alt. month", "January"), pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"), pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"), pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"), pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"), pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"), pgettext_lazy("alt. month", "December"),
    _("p.m."), _("a.m."),
]
