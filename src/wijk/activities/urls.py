from django.urls import path

from . import views

P = "o/<slug:organisation>/activiteiten/"

urlpatterns = [
    path(P, views.activity_list, name="activity_list"),
    path(P + "nieuw/", views.activity_create, name="activity_create"),
    path(P + "<int:pk>/", views.activity_edit, name="activity_edit"),
]
