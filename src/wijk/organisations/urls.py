from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("netwerk/", views.network, name="network"),
    path("o/<slug:organisation>/", views.dashboard, name="dashboard"),
    path(
        "o/<slug:organisation>/organisatie/",
        views.organisation_settings,
        name="organisation_settings",
    ),
    path(
        "o/<slug:organisation>/organisatie/wijken/",
        views.neighbourhood_add,
        name="neighbourhood_add",
    ),
    path(
        "o/<slug:organisation>/organisatie/wijken/<int:pk>/verwijderen/",
        views.neighbourhood_remove,
        name="neighbourhood_remove",
    ),
    path("o/<slug:organisation>/mensen/", views.people, name="people"),
    path(
        "o/<slug:organisation>/mensen/uitnodigen/",
        views.invitation_create,
        name="invitation_create",
    ),
    path(
        "o/<slug:organisation>/mensen/uitnodigingen/<int:pk>/intrekken/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "o/<slug:organisation>/mensen/rollen/<int:pk>/beeindigen/",
        views.membership_end,
        name="membership_end",
    ),
    path("o/<slug:organisation>/logboek/", views.audit_log, name="audit_log"),
]
