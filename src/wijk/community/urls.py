from django.urls import path

from . import member_views, shift_views, views

P = "o/<slug:organisation>/personen/"

urlpatterns = [
    path(P, views.person_list, name="person_list"),
    path(P + "nieuw/", views.person_create, name="person_create"),
    path(P + "<int:pk>/", views.person_detail, name="person_detail"),
    path(P + "<int:pk>/wijzigen/", views.person_edit, name="person_edit"),
    path(P + "<int:pk>/toestemming/", views.consent_add, name="consent_add"),
    path(P + "<int:pk>/gegevens/", views.person_export, name="person_export"),
    path(P + "<int:pk>/anonimiseren/", views.person_anonymise, name="person_anonymise"),
    path(P + "<int:pk>/vergoeding/", views.allowance_add, name="allowance_add"),
    path("o/<slug:organisation>/mijn-uren/", views.my_hours, name="my_hours"),
    path(
        "o/<slug:organisation>/mijn-uren/<int:pk>/verwijderen/",
        views.my_hours_delete,
        name="my_hours_delete",
    ),
    path("o/<slug:organisation>/mijn-gegevens/", views.my_data, name="my_data"),
    path("o/<slug:organisation>/vrijwilligers/", views.volunteer_list, name="volunteer_list"),
    path("o/<slug:organisation>/diensten/", shift_views.shift_list, name="shift_list"),
    path("o/<slug:organisation>/mijn-diensten/", shift_views.my_shifts, name="my_shifts"),
    path(
        "o/<slug:organisation>/mijn-diensten/<int:pk>/aanmelden/",
        shift_views.shift_signup,
        name="shift_signup",
    ),
    path(
        "o/<slug:organisation>/mijn-diensten/<int:pk>/afmelden/",
        shift_views.shift_withdraw,
        name="shift_withdraw",
    ),
    path(
        "o/<slug:organisation>/contributie/", member_views.membership_fees, name="membership_fees"
    ),
    path(
        "o/<slug:organisation>/ledencertificaten/",
        member_views.share_register,
        name="share_register",
    ),
    path(
        "o/<slug:organisation>/ledencertificaten/<int:pk>/corrigeren/",
        member_views.share_correct,
        name="share_correct",
    ),
    path("o/<slug:organisation>/besluiten/", views.decision_list, name="decision_list"),
    path("o/<slug:organisation>/banen/", views.job_list, name="job_list"),
    path("o/<slug:organisation>/partners/", views.partner_list, name="partner_list"),
    path("o/<slug:organisation>/partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path(
        "o/<slug:organisation>/contracten/<int:pk>/", views.contract_detail, name="contract_detail"
    ),
    path(
        "o/<slug:organisation>/contracten/<int:pk>/termijnen/<int:deadline>/klaar/",
        views.deadline_done,
        name="deadline_done",
    ),
]
