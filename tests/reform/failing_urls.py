"""The platform's addresses and two that fail, for the error-handling tests."""

from django.urls import path

from reform.urls import handler404, handler500, urlpatterns  # noqa: F401  (Django reads the handlers here)


def broken(request):
    raise RuntimeError("a fault for the test")


urlpatterns = [path("broken/", broken), path("api/v1/broken/", broken), *urlpatterns]
