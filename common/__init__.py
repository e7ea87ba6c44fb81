"""The small generic base every app of the portal stands on: it imports none of them.

Private pages and the client's address (``access``), e-mailed links whose secret leaves the address
bar (``links``), the one CSV writer (``exports``) and the one refusal every service raises, with
where it is shown (``refusals``). Nothing here knows a school, a case or a
consent; what does belongs in an app (docs/architecture.md, enforced by ``.importlinter``).
"""
