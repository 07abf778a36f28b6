"""Exports made by the worker: the `Export` record (`models`), the one rule
that keeps spreadsheet cells from being read as formulas (`cells`), the
file writers (`writers`: CSV, XLSX, ZIP) and the organizers' URLs (`urls`).

The reads are `judging.selectors.exports`, the writes and the build
`judging.services.exports`, the task `judging.tasks`, the pages
`judging.views.exports`.
"""
