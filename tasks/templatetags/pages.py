from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """The current URL's query with another page: filters and searches survive paging."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
