"""URL map. Dutch paths without prefix, English under /en/ (i18n_patterns).

Every organisation page lives under /o/<slug>/ and goes through
`wijk.organisations.access.organisation_view`; tests/test_url_sweep.py checks every
pattern here as an outsider and as an anonymous visitor.
"""

from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from wijk.core.views import set_language

admin.site.site_header = "Wijkonderneming – beheer"
# The admin logs in through allauth, so it gets the same throttling and two-step login.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/setlang/", set_language, name="set_language"),
]

urlpatterns += i18n_patterns(
    path("account/", include("allauth.urls")),
    path("beheer/", admin.site.urls),
    path("", include("wijk.organisations.urls")),
    path("", include("wijk.ledger.urls")),
    path("", include("wijk.premises.urls")),
    path("", include("wijk.activities.urls")),
    path("", include("wijk.guide.urls")),
    path("", include("wijk.expenses.urls")),
    path("", include("wijk.sales.urls")),
    path("", include("wijk.community.urls")),
    path("", include("wijk.banking.urls")),
    prefix_default_language=False,
)

# The media folder holds receipts and invoices: it is never served as a public URL,
# not even with WIJK_DEBUG; the expenses and sales views stream files to those allowed.
