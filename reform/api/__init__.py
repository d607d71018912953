"""The REST API (``/api/v1/``): the platform's rules for other systems, through the same services and
the same access policy (``orgs.policy``) as the browser."""
