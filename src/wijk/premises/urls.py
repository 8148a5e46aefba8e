from django.urls import path

from . import views

P = "o/<slug:organisation>/gebouwen/"

urlpatterns = [
    path(P, views.building_list, name="building_list"),
    path(P + "nieuw/", views.building_create, name="building_create"),
    path(P + "<int:pk>/", views.building_edit, name="building_edit"),
]
