from django.urls import path

from . import views

app_name = "policy"

urlpatterns = [
    path("", views.current, name="current"),
    path("<int:number>/", views.version_detail, name="version"),
    path("<int:number>/print/", views.printable, name="print"),
    path("<int:number>/pdf/", views.pdf, name="pdf"),
    path("<int:number>/dates/", views.version_dates, name="version_dates"),
    path("history/", views.history, name="history"),
    path("diff/", views.diff_choose, name="diff_choose"),
    path("diff/<int:a>/<int:b>/", views.diff, name="diff"),
    # Drafting (board, functional admins), the (G)MR's decision, adoption
    path("drafts/", views.drafts, name="drafts"),
    path("drafts/new/", views.draft_new, name="draft_new"),
    path("drafts/<int:pk>/", views.draft, name="draft"),
    path("drafts/<int:pk>/edit/", views.draft_edit, name="draft_edit"),
    path("drafts/<int:pk>/submit/", views.draft_submit, name="draft_submit"),
    path("drafts/<int:pk>/council/", views.draft_council, name="draft_council"),
    path("drafts/<int:pk>/adopt/", views.draft_adopt, name="draft_adopt"),
    path("drafts/<int:pk>/carry-over/", views.draft_carry_over, name="draft_carry_over"),
    # Staff read receipts
    path("acknowledge/", views.acknowledge, name="acknowledge"),
    path("acknowledgements/", views.acknowledgement_schools, name="acknowledgement_schools"),
    path("acknowledgements/<int:school>/", views.acknowledgements, name="acknowledgements"),
    path("acknowledgements/<int:school>/remind/", views.acknowledgements_remind, name="acknowledgements_remind"),
    path("acknowledgements/<int:school>/export.csv", views.acknowledgements_csv, name="acknowledgements_csv"),
]
