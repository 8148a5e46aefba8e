from django.urls import path

from . import views

P = "o/<slug:organisation>/boekhouding/"

urlpatterns = [
    path(P, views.ledger_home, name="ledger_home"),
    path(P + "inrichten/", views.ledger_setup, name="ledger_setup"),
    path(P + "boekjaren/nieuw/", views.fiscal_year_create, name="fiscal_year_create"),
    path(P + "boekjaren/<int:pk>/maand-afsluiten/", views.period_close, name="period_close"),
    path(P + "boekjaren/<int:pk>/afsluiten/", views.fiscal_year_close, name="fiscal_year_close"),
    path(P + "rekeningen/", views.account_list, name="account_list"),
    path(P + "rekeningen/<int:pk>/", views.account_detail, name="account_detail"),
    path(P + "boekingen/", views.entry_list, name="entry_list"),
    path(P + "boekingen/nieuw/", views.entry_create, name="entry_create"),
    path(P + "boekingen/<int:pk>/", views.entry_detail, name="entry_detail"),
    path(P + "boekingen/<int:pk>/boeken/", views.entry_post, name="entry_post"),
    path(P + "boekingen/<int:pk>/terugboeken/", views.entry_reverse, name="entry_reverse"),
    path(P + "boekingen/<int:pk>/verwijderen/", views.entry_delete, name="entry_delete"),
    path(P + "proefbalans/", views.trial_balance, name="trial_balance"),
    path(P + "begroting/", views.budget, name="budget"),
    path(P + "baten-en-lasten/", views.income_statement, name="income_statement"),
    path(P + "balans/", views.balance_sheet, name="balance_sheet"),
    path(P + "onafhankelijkheid/", views.independence, name="independence"),
    path(P + "fondsen/", views.fund_list, name="fund_list"),
    path(P + "rapporten/", views.report_index, name="report_index"),
    path(P + "begroting-en-werkelijk/", views.budget_vs_actual, name="budget_vs_actual"),
    path(P + "resultaat-per-gebouw/", views.result_by_building, name="result_by_building"),
    path(P + "resultaat-per-activiteit/", views.result_by_activity, name="result_by_activity"),
    path(P + "kaspositie/", views.cash_position, name="cash_position"),
    path(P + "fondsen-en-reserves/", views.fund_movements, name="fund_movements"),
]

from . import import_views  # noqa: E402 - the pages for moving into the books

urlpatterns += [
    path(P + "importeren/", import_views.ledger_imports, name="ledger_imports"),
    path(
        P + "importeren/beginbalans/",
        import_views.opening_balances_import,
        name="opening_balances_import",
    ),
    path(P + "importeren/xaf/", import_views.xaf_import_view, name="xaf_import"),
]
