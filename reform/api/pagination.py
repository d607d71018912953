from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination

from reform.api.described import bilingual


class Pages(PageNumberPagination):
    """Pages of 50 by default; ``page_size`` up to 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        words = {
            "count": _("How many in all"),
            "next": _("The next page's address"),
            "previous": _("The previous page's address"),
            "results": _("This page's items"),
        }
        for name, text in words.items():
            answer["properties"][name]["description"] = bilingual(text)
        return answer
