"""Certificates for the families: a certificate of participation for every
entry that took part and an award certificate for the winners, in the
family's language, as PDF.

- `layout`: the page drawn with ReportLab from plain data (no Django), in
  the shipped DejaVu Sans (`fonts/`, with its licence); its names are
  re-exported here, and importing this package loads no Django;
- `pages`: the words in the family's language and the drawing from storage
  (Django: import `contest.certificates.pages`).

The facts come from `contest.selectors.certificates`; the guardian's
download is `contest.views.guardian.guardian_certificate`, the organizers'
printing file (every certificate of a contest in one PDF) is the
"certificates" export made by the worker (`judging.services.exports`).
"""

from .layout import CertificatePage, certificate_pdf, certificates_write, font_covers, fonts_register

__all__ = ["CertificatePage", "certificate_pdf", "certificates_write", "font_covers", "fonts_register"]
