"""The platform's addresses and two that fail, for the error-handling tests."""

from django.urls import path

from reform.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401  (read by Django)


def broken(request):
    raise RuntimeError("a fault for the test")


urlpatterns = [path("broken/", broken), path("api/v1/broken/", broken), *urlpatterns]
