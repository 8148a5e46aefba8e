from django.urls import path

from . import views

P = "o/<slug:organisation>/activiteiten/"
S = P + "bijeenkomsten/<int:pk>/"

urlpatterns = [
    path(P, views.activity_list, name="activity_list"),
    path(P + "nieuw/", views.activity_create, name="activity_create"),
    path(P + "jaaroverzicht/", views.activity_year, name="activity_year"),
    path(P + "<int:pk>/", views.activity_edit, name="activity_edit"),
    path(P + "<int:pk>/bijeenkomsten/", views.session_list, name="session_list"),
    path(P + "<int:pk>/bijeenkomsten/nieuw/", views.session_create, name="session_create"),
    path(S, views.session_detail, name="session_detail"),
    path(S + "qr.svg", views.session_qr, name="session_qr"),
    path(S + "aanmeldingen/", views.registration_add, name="registration_add"),
    path(
        S + "aanmeldingen/<int:registration>/verwijderen/",
        views.registration_remove,
        name="registration_remove",
    ),
    # Public: the sign-in at the door, opened by QR code or short link.
    path("welkom/<str:token>/", views.door_sign_in, name="door_sign_in"),
]
