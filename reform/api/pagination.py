from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

from reform import values
from reform.api.described import bilingual


class Pages(PageNumberPagination):
    """Pages of 50 by default; ``page_size`` up to 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        # A size that is not a whole number from 1 is the default, as in DRF; more than the most is the most.
        try:
            given = values.whole_number(request.query_params[self.page_size_query_param], minimum=1)
        except (KeyError, values.BadValue):
            return self.page_size
        return min(given, self.max_page_size)

    def get_page_number(self, request, paginator):
        given = request.query_params.get(self.page_query_param) or "1"
        if given in self.last_page_strings:
            return paginator.num_pages
        try:
            return values.whole_number(given, minimum=1)
        except values.BadValue as error:
            raise NotFound(self.invalid_page_message.format(page_number=given, message=error.message)) from None

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
