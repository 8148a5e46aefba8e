from django.urls import path

from . import views

P = "o/<slug:organisation>/bank/"

urlpatterns = [
    path(P + "rekeningen/", views.bank_account_list, name="bank_account_list"),
    path(P + "rekeningen/nieuw/", views.bank_account_create, name="bank_account_create"),
    path(P + "afschriften/", views.statement_import_view, name="statement_import"),
    path(P + "afletteren/", views.reconcile, name="reconcile"),
    path(P + "afletteren/samen/", views.reconcile_bulk, name="reconcile_bulk"),
    path(P + "regels/<int:pk>/", views.bank_line_detail, name="bank_line_detail"),
    path(P + "regels/<int:pk>/boeken/", views.bank_line_book, name="bank_line_book"),
    path(P + "regels/<int:pk>/koppelen/", views.bank_line_match, name="bank_line_match"),
]
