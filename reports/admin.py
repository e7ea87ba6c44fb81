"""No case content in the back office.

Case files, reports, messages with the reporter, evidence, the timeline and the view audit belong to
the school's leadership and the board (DESIGN.md, case files), who open them in the portal, where
every opening is logged. The Django admin would show them to every functional admin without that
log, so none of these models is registered here; retention and legal hold run in the portal.
"""
