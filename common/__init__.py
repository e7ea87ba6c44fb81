"""The small generic base every app of the portal stands on: it imports none of them.

Private pages and the client's address (``access``), e-mailed links whose secret leaves the address
bar (``links``) and the one CSV writer (``exports``). Nothing here knows a school, a case or a
consent; what does belongs in an app (docs/architecture.md, enforced by ``.importlinter``).
"""
