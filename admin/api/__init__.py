"""The admin JSON API under /api: import, list, edit and publish meetings.

Every endpoint but the OpenAPI document needs `Authorization: Bearer <ADMIN_TOKEN>`. The document,
`admin/api/openapi.yaml`, is served at /api/openapi.json and the tests check every response against it.
"""

from admin.api.views import blueprint

__all__ = ["blueprint"]
