from django.urls import path

from . import views

P = "o/<slug:organisation>/gebouwen/"

urlpatterns = [
    path(P, views.building_list, name="building_list"),
    path(P + "nieuw/", views.building_create, name="building_create"),
    path(P + "<int:pk>/", views.building_detail, name="building_detail"),
    path(P + "<int:pk>/wijzigen/", views.building_edit, name="building_edit"),
    path(P + "<int:pk>/ruimtes/nieuw/", views.space_create, name="space_create"),
    path(P + "ruimtes/<int:pk>/", views.space_edit, name="space_edit"),
]
