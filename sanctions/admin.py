"""No measures, escalations or dossiers in the back office: like the case files they belong to
(reports/admin.py), they are read in the portal by the school's leadership and the board only."""
