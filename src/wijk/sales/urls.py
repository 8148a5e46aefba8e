from django.urls import path

from . import views

P = "o/<slug:organisation>/facturen/"
K = "o/<slug:organisation>/klanten/"

urlpatterns = [
    path(P, views.invoice_list, name="invoice_list"),
    path(P + "nieuw/", views.invoice_create, name="invoice_create"),
    path(P + "instellingen/", views.sales_settings, name="sales_settings"),
    path(P + "<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path(P + "<int:pk>/wijzigen/", views.invoice_edit, name="invoice_edit"),
    path(P + "<int:pk>/verwijderen/", views.invoice_delete, name="invoice_delete"),
    path(P + "<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path(P + "<int:pk>/versturen/", views.invoice_send, name="invoice_send"),
    path(P + "<int:pk>/mailen/", views.invoice_email, name="invoice_email"),
    path(P + "<int:pk>/betaling/", views.invoice_payment, name="invoice_payment"),
    path(P + "<int:pk>/crediteren/", views.invoice_credit, name="invoice_credit"),
    path(K, views.customer_list, name="customer_list"),
    path(K + "<int:pk>/", views.customer_edit, name="customer_edit"),
]
