"""No measures, escalations or person files in the back office: like the case files they belong to
(reports/admin.py), they are read in the portal by the school's leadership and the board only."""
