from django.urls import path, register_converter

from howgood.frameworks import views


class IndicatorNumberConverter:
    """A quality indicator number such as 2.1 or 10.1."""

    regex = r"[1-9][0-9]*\.[1-9][0-9]*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IndicatorNumberConverter, "frameworks_qi")

app_name = "frameworks"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/indicators/<frameworks_qi:number>/", views.indicator, name="indicator"),
    path(
        "<slug:slug>/indicators/<frameworks_qi:number>/fill-in/",
        views.fill_in,
        name="fill_in",
    ),
]
