from django.urls import path

from . import views

P = "o/<slug:organisation>/declaraties/"

urlpatterns = [
    path(P, views.claim_list, name="claim_list"),
    path(P + "nieuw/", views.claim_create, name="claim_create"),
    path(P + "regels/", views.expense_policy, name="expense_policy"),
    path(P + "<int:pk>/", views.claim_detail, name="claim_detail"),
    path(P + "<int:pk>/bon/", views.claim_receipt, name="claim_receipt"),
    path(P + "<int:pk>/goedkeuren/", views.claim_approve, name="claim_approve"),
    path(P + "<int:pk>/afwijzen/", views.claim_reject, name="claim_reject"),
    path(P + "<int:pk>/betaald/", views.claim_pay, name="claim_pay"),
]
