from django.urls import path

from . import views

P = "o/<slug:organisation>/personen/"

urlpatterns = [
    path(P, views.person_list, name="person_list"),
    path(P + "nieuw/", views.person_create, name="person_create"),
    path(P + "<int:pk>/", views.person_detail, name="person_detail"),
    path(P + "<int:pk>/wijzigen/", views.person_edit, name="person_edit"),
    path(P + "<int:pk>/toestemming/", views.consent_add, name="consent_add"),
    path(P + "<int:pk>/gegevens/", views.person_export, name="person_export"),
    path(P + "<int:pk>/anonimiseren/", views.person_anonymise, name="person_anonymise"),
]
