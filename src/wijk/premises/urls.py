from django.urls import path

from . import public, views

P = "o/<slug:organisation>/gebouwen/"

urlpatterns = [
    path(P, views.building_list, name="building_list"),
    path(P + "nieuw/", views.building_create, name="building_create"),
    path(P + "<int:pk>/", views.building_detail, name="building_detail"),
    path(P + "<int:pk>/week/", views.building_week, name="building_week"),
    path(P + "<int:pk>/resultaat/", views.building_result, name="building_result"),
    path(P + "<int:pk>/onderhoud/", views.maintenance_plan, name="maintenance_plan"),
    path(
        P + "<int:pk>/onderhoud/nieuw/",
        views.maintenance_component_create,
        name="maintenance_component_create",
    ),
    path(
        P + "onderhoud/<int:pk>/",
        views.maintenance_component_edit,
        name="maintenance_component_edit",
    ),
    path(P + "<int:pk>/wijzigen/", views.building_edit, name="building_edit"),
    path(P + "<int:pk>/ruimtes/nieuw/", views.space_create, name="space_create"),
    path(P + "ruimtes/<int:pk>/", views.space_edit, name="space_edit"),
    path(P + "ruimtes/<int:pk>/tarieven/", views.space_tariffs, name="space_tariffs"),
    path(P + "ruimtes/<int:pk>/dag/", views.space_day, name="space_day"),
    path(P + "ruimtes/<int:pk>/boeken/", views.booking_create, name="booking_create"),
    path(P + "boekingen/", views.booking_list, name="booking_list"),
    path(P + "boekingen/<int:pk>/", views.booking_detail, name="booking_detail"),
    path(P + "boekingen/<int:pk>/status/", views.booking_status, name="booking_status"),
    path(P + "boekingen/<int:pk>/factureren/", views.booking_invoice, name="booking_invoice"),
    path(P + "factureren/", views.booking_invoicing, name="booking_invoicing"),
    path(P + "bezetting/", views.occupancy_report, name="occupancy_report"),
    path(P + "extras/", views.add_on_list, name="add_on_list"),
    path(P + "extras/<int:pk>/", views.add_on_edit, name="add_on_edit"),
    # Public: no login, they check their own rights.
    path("gebouw/<slug:slug>/<int:pk>/", public.public_request, name="public_request"),
    path("agenda/ruimte/<int:pk>/<str:token>.ics", public.space_feed, name="space_feed"),
]
